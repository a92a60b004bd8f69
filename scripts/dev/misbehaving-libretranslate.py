#!/usr/bin/env python3
"""A LibreTranslate-compatible server that misbehaves on purpose, for trying selaras's backends.

    scripts/dev/misbehaving-libretranslate.py --port 5055 --fault-rate 0.4 --seed 1

"Translates" by wrapping text as EN<...>. With probability --fault-rate a request gets one of:
500, 502, 503 (with and without Retry-After), 429 with Retry-After, a dropped connection, a body
cut in half, an HTML page, {"error"} with status 200, a wrong number of translations, a delay of
--slow seconds, a 400 for array q ("arrays not supported" mode, with --no-arrays), and a request
that never answers (with --hang). Standard library only.
"""
import argparse
import json
import random
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATS = {"requests": 0, "faults": 0}


def translate(text):
    return "EN<%s>" % text


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body, headers=(), ctype="application/json"):
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/languages":
            self.send(200, json.dumps([{"code": "id", "name": "Indonesian", "targets": ["en"]}]))
        else:
            self.send(404, json.dumps({"error": "Not Found"}))

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        with LOCK:
            STATS["requests"] += 1
            roll = RNG.random()
            fault = RNG.choice(FAULTS) if roll < ARGS.fault_rate else None
            if fault:
                STATS["faults"] += 1
        if self.path != "/translate":
            return self.send(404, json.dumps({"error": "Not Found"}))
        try:
            req = json.loads(raw)
            q = req["q"]
        except Exception:
            return self.send(400, json.dumps({"error": "Invalid request: missing q parameter"}))
        if ARGS.no_arrays and isinstance(q, list):
            return self.send(400, json.dumps({"error": "Invalid request: q must be a string"}))
        out = [translate(t) for t in q] if isinstance(q, list) else translate(q)
        time.sleep(ARGS.latency + ARGS.per_sentence * (len(q) if isinstance(q, list) else 1))
        good = json.dumps({"translatedText": out})
        if fault == "500":
            return self.send(500, json.dumps({"error": "Internal Server Error"}))
        if fault == "502":
            return self.send(502, "<html>Bad Gateway</html>", ctype="text/html")
        if fault == "503":
            return self.send(503, json.dumps({"error": "Service Unavailable"}))
        if fault == "503ra":
            return self.send(503, json.dumps({"error": "Service Unavailable"}), [("Retry-After", "1")])
        if fault == "429":
            return self.send(429, json.dumps({"error": "Too many requests"}), [("Retry-After", "1")])
        if fault == "drop":
            self.close_connection = True
            return
        if fault == "truncate":
            data = good.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return
        if fault == "html":
            return self.send(200, "<html><body>Maintenance</body></html>", ctype="text/html")
        if fault == "error200":
            return self.send(200, json.dumps({"error": "something went wrong"}))
        if fault == "count":
            bad = out[:-1] if isinstance(out, list) and len(out) > 1 else [out, out]
            return self.send(200, json.dumps({"translatedText": bad}))
        if fault == "slow":
            time.sleep(ARGS.slow)
        if fault == "hang":
            time.sleep(3600)
        return self.send(200, good)


def main():
    global ARGS, RNG, FAULTS
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5055)
    ap.add_argument("--fault-rate", type=float, default=0.4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--slow", type=float, default=3.0)
    ap.add_argument("--latency", type=float, default=0.0, help="seconds every request takes")
    ap.add_argument("--per-sentence", type=float, default=0.0, help="extra seconds per sentence")
    ap.add_argument("--hang", action="store_true", help="also hang some requests forever")
    ap.add_argument("--no-arrays", action="store_true", help="refuse array q with 400")
    ARGS = ap.parse_args()
    RNG = random.Random(ARGS.seed)
    FAULTS = ["500", "502", "503", "503ra", "429", "drop", "truncate", "html", "error200", "count", "slow"]
    if ARGS.hang:
        FAULTS.append("hang")
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer((ARGS.host, ARGS.port), Handler)
    print("misbehaving LibreTranslate on http://%s:%d" % (ARGS.host, ARGS.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        print("requests %(requests)d, faults %(faults)d" % STATS, flush=True)


if __name__ == "__main__":
    main()
