"""community stage."""
