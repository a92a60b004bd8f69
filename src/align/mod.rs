//! Sentence alignment of a source and a target document.

/// One alignment block: consecutive source sentences aligned to consecutive target sentences.
///
/// Indices are 0-based into the document's flattened sentence list; either side may be empty
/// (an unaligned sentence). Blocks of an alignment cover every sentence exactly once, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Source sentence indices (consecutive, ascending).
    pub src: Vec<usize>,
    /// Target sentence indices (consecutive, ascending).
    pub tgt: Vec<usize>,
    /// Block score in [0, 1]: higher is more likely a true translation pair.
    pub score: f32,
}
