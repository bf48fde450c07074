"""Page view ids: random, distinct, and a forked worker never repeats its parent's."""

import os
import re

from ad_manager.serving.decision import ViewIds


def test_ids_are_16_url_safe_characters_and_distinct():
    ids = ViewIds(batch=8)
    drawn = [ids() for _ in range(2000)]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", view) for view in drawn)
    assert len(set(drawn)) == len(drawn)


def test_a_forked_process_draws_ids_of_its_own():
    ids = ViewIds(batch=64)
    ids()  # the parent holds a batch of 63 more
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reading)
        os.write(writing, "\n".join(ids() for _ in range(10)).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        theirs = set(pipe.read().split("\n"))
    os.waitpid(child, 0)
    ours = {ids() for _ in range(63)}
    assert len(theirs) == 10 and not theirs & ours
