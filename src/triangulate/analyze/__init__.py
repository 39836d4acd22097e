"""Article analysis: one article at a time, a pure function of (text, metadata)."""
