"""Counters, rollups, report queries and CSV: what sales sells on.

``counting.record`` counts events; ``live`` keeps counters in Redis and folds them
into the database; ``rollup`` turns old hourly rows into daily ones; ``reports`` and
``export`` read both transparently; ``delivered`` gives what campaigns have delivered
(for goals, caps and pace).
"""
