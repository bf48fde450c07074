"""Counters, rollups, report queries and CSV: what sales sells on.

``counting`` says what counts and under which dimensions; ``deciding`` decides what
pages reported (replays, order) and ``deciding.record`` counts events right away;
``live`` keeps counters in Redis and folds them into the database; ``rollup`` turns
old hourly rows into daily ones; ``reports`` and ``export`` read both transparently;
``delivered`` gives what campaigns have delivered (for goals, caps and pace).
"""
