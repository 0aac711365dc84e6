"""lexical stage."""
