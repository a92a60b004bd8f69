//! The rule-based splitter of one line.

use super::Rules;
use std::ops::Range;

/// Sentence spans of one line (no line breaks inside), trimmed of spaces.
pub fn split_line(line: &str, _rules: &Rules) -> Vec<Range<usize>> {
    let start = line.len() - line.trim_start().len();
    let end = line.trim_end().len();
    if start >= end {
        return Vec::new();
    }
    #[allow(clippy::single_range_in_vec_init)] // one span: the whole trimmed line
    let spans = vec![start..end];
    spans
}
