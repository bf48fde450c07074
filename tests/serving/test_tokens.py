"""Event and click tokens are signed, expire, and refuse tampering."""

import json
import time

import pytest

from ad_manager.delivery.shown import Shown
from ad_manager.serving.tokens import CLICK_SALT, BadToken, read, sign

SHOWN = Shown(view="pv1", site=1, layout=2, placement=3, zone=4, campaign=5, creative=6)


def test_a_token_gives_back_what_was_shown():
    assert read("k", sign("k", SHOWN)) == SHOWN


def test_forged_token_is_refused():
    token = sign("k", SHOWN)
    with pytest.raises(BadToken):
        read("other key", token)
    with pytest.raises(BadToken):
        read("k", token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])


def test_event_token_is_not_a_click_token():
    with pytest.raises(BadToken):
        read("k", sign("k", SHOWN), salt=CLICK_SALT)


def test_expired_token_is_refused(monkeypatch):
    token = sign("k", SHOWN)
    later = time.time() + 10
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(BadToken):
        read("k", token, max_age=5)


@pytest.mark.parametrize("junk", ["", "x" * 2000, "abc.def.ghi", None, 42])
def test_junk_is_refused(junk):
    with pytest.raises(BadToken):
        read("k", junk)


@pytest.mark.parametrize("shown", [
    Shown(view="Zx9-_a", site=1, layout=2, placement=3, zone=4, campaign=5, creative=6,
          hour=491234),
    Shown(view="v", site=7, layout=None, placement=None, insert=9, article=10, preview=True,
          invalid="bot"),
    Shown(view='é"\\\n\u2028', site=0, layout=0, placement=0, hour=0),
    Shown(view="all", site=1, layout=2, placement=3, zone=4, insert=5, campaign=6, creative=7,
          article=8, preview=True, hour=9, invalid="rate"),  # every field, in KEYS' order
])
def test_a_payload_is_written_as_json_dumps_writes_it(shown):
    assert shown.payload_json() == json.dumps(shown.to_payload(), ensure_ascii=False,
                                              separators=(",", ":"))
    assert read("k", sign("k", shown)) == shown


def test_what_itsdangerous_reads_the_fast_reading_reads_alike(monkeypatch):
    """Tokens of the current key are checked in a few C calls; anything else (an older
    key, a compressed payload, a signature from the future) goes through itsdangerous,
    which gives the same answer or refuses with its reason."""
    from itsdangerous import URLSafeTimedSerializer

    from ad_manager.serving.tokens import EVENT_SALT

    token = sign("k", SHOWN)
    _payload, signed = URLSafeTimedSerializer("k", salt=EVENT_SALT).loads(
        token, return_timestamp=True)
    got = read(("old", "k"), token)
    assert got == SHOWN and got.signed_at == int(signed.timestamp())
    assert read(("k", "new"), token) == SHOWN  # a key since replaced: itsdangerous' path
    long_view = Shown(view="v" * 300, site=1, layout=2, placement=3)
    compressed = URLSafeTimedSerializer("k", salt=EVENT_SALT).dumps(long_view.to_payload())
    assert compressed.startswith(".")  # zlib made it shorter
    assert read("k", compressed) == long_view
    earlier = time.time() - 10
    monkeypatch.setattr(time, "time", lambda: earlier)
    with pytest.raises(BadToken, match="< 0 seconds"):
        read("k", token)


@pytest.mark.parametrize("junk", ["!", "~", "*"])
def test_a_valid_token_with_a_character_appended_is_refused(junk):
    with pytest.raises(BadToken):
        read("k", sign("k", SHOWN) + junk)
