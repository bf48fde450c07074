"""Pure delivery logic: which layout, creative and links a page gets (no Flask, no db)."""
