//! The Vecalign/Bertalign block format: `[i,j]:[k]:score`, one block per line.

use super::Block;

/// Format blocks, one per line, with the score to 4 decimals.
pub fn format_blocks(blocks: &[Block]) -> String {
    let line = |b: &Block| format!("{}:{}:{:.4}\n", list(&b.src), list(&b.tgt), b.score);
    blocks.iter().map(line).collect()
}

fn list(v: &[usize]) -> String {
    let items: Vec<String> = v.iter().map(|i| i.to_string()).collect();
    format!("[{}]", items.join(","))
}

/// Parse a block file (`[i,j]:[k]` with an optional `:score`); errors name the line.
pub fn parse_blocks(text: &str) -> Result<Vec<Block>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = |what: &str| format!("line {}: {what}: {line:?}", n + 1);
        let (src, rest) = parse_list(line).ok_or_else(|| bad("expected [i,…]"))?;
        let rest = rest.strip_prefix(':').ok_or_else(|| bad("expected ':'"))?;
        let (tgt, rest) = parse_list(rest).ok_or_else(|| bad("expected [k,…]"))?;
        let score = match rest.strip_prefix(':') {
            Some(s) => s.trim().parse::<f32>().map_err(|_| bad("bad score"))?,
            None if rest.trim().is_empty() => 0.0,
            None => return Err(bad("trailing text")),
        };
        out.push(Block { src, tgt, score });
    }
    Ok(out)
}

fn parse_list(s: &str) -> Option<(Vec<usize>, &str)> {
    let s = s.trim_start().strip_prefix('[')?;
    let end = s.find(']')?;
    let inner = s[..end].trim();
    let items = if inner.is_empty() {
        vec![]
    } else {
        inner
            .split(',')
            .map(|x| x.trim().parse::<usize>().ok())
            .collect::<Option<Vec<_>>>()?
    };
    Some((items, &s[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = "[0]:[0]:0.9000\n[1,2]:[1]:0.5000\n[3]:[]:0.0000\n[]:[2]:0.0000\n";
        let b = parse_blocks(text).unwrap();
        assert_eq!(b.len(), 4);
        assert_eq!(b[1].src, vec![1, 2]);
        assert_eq!(format_blocks(&b), text);
        assert_eq!(parse_blocks("[0]:[1]\n").unwrap()[0].tgt, vec![1]);
        assert!(parse_blocks("[0]:[x]").unwrap_err().contains("line 1"));
        assert!(parse_blocks("0:1").is_err());
    }
}
