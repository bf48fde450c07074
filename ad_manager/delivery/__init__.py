"""Pure delivery logic: which layout, creative and links a page gets (no Flask, no db).

Functions take plain data (the inventory snapshot's frozen records) and give plain
data back.
"""
