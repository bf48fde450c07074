"""``Shown``: a frozen value whose own __init__ takes exactly its fields."""

import dataclasses
import inspect

import pytest

from ad_manager.delivery.shown import Shown


def test_init_takes_the_fields_in_order_with_their_defaults():
    parameters = list(inspect.signature(Shown.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Shown)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        for f in fields]


def test_it_stays_a_frozen_hashable_value():
    shown = Shown(view="v", site=1, layout=2, placement=3, zone=4, campaign=5, creative=6,
                  hour=7, signed_at=100)
    assert dataclasses.asdict(shown)["creative"] == 6
    assert shown == dataclasses.replace(shown, signed_at=200)  # not compared
    assert hash(shown) == hash(dataclasses.replace(shown, signed_at=None))
    assert dataclasses.replace(shown, hour=8).hour == 8
    with pytest.raises(dataclasses.FrozenInstanceError):
        shown.view = "other"
    assert Shown.from_payload(shown.to_payload(), 100) == shown


@pytest.mark.parametrize("payload", [
    {"v": "v", "s": True},
    {"v": "v", "s": 1, "c": True},
    {"v": "v", "s": 1, "h": False},
    {"v": "v", "s": 1, "p": 1.5},
])
def test_a_payload_whose_numbers_are_not_whole_numbers_is_refused(payload):
    with pytest.raises(ValueError):
        Shown.from_payload(payload)
