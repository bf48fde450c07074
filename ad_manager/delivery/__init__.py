"""Pure delivery logic: which creative a zone shows, which layout a page gets.

Nothing here imports Flask or the database: functions take plain data (the
inventory snapshot's frozen records) and give plain data back.
"""
