//! Quality flags for translated or aligned pairs.
