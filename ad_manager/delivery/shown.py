"""What one page view was shown, as the tokens carry it and the counters file it.

A plain value, shared by the decision (which signs it into tokens) and counting
(which files events under its dimensions).
"""

from dataclasses import dataclass, field
from json.encoder import encode_basestring  # the C encoder's, when there is one

# A page may stay open for a while before the reader scrolls or clicks.
EVENT_MAX_AGE = 6 * 3600
CLICK_MAX_AGE = 24 * 3600


@dataclass(frozen=True, init=False)
class Shown:
    """What one rendered thing was: the dimensions its counts are kept under.

    ``view`` is the page view's random id; ``placement`` the layout placement.
    ``campaign``/``creative`` are None for a house ad; ``article`` is the linked
    article of an insert link; ``zone`` or ``insert`` says which kind was placed.
    ``hour`` is the UTC hour of the page view (hours since 1970): its events are
    counted in that hour however late they come. ``invalid`` is the reason the
    decision itself was not valid traffic (``stats.reasons``): nothing the page view
    leads to is counted, only filtered with that reason.
    """

    view: str
    site: int
    layout: int | None
    placement: int | None
    zone: int | None = None
    insert: int | None = None
    campaign: int | None = None
    creative: int | None = None
    article: int | None = None
    preview: bool = False
    hour: int | None = None
    invalid: str | None = None
    # When the token was signed (seconds since 1970), as read back from it; not signed
    # into the payload itself (the token's own timestamp says it).
    signed_at: int | None = field(default=None, compare=False)

    def __init__(self, view: str, site: int, layout: int | None, placement: int | None,
                 zone: int | None = None, insert: int | None = None,
                 campaign: int | None = None, creative: int | None = None,
                 article: int | None = None, preview: bool = False, hour: int | None = None,
                 invalid: str | None = None, signed_at: int | None = None) -> None:
        # The fields in one C call: a frozen dataclass's own __init__ makes one
        # ``object.__setattr__`` call per field, twice the cost, and a decision makes
        # one ``Shown`` per thing shown (tests/domain/test_shown.py keeps the two alike).
        self.__dict__.update(
            view=view, site=site, layout=layout, placement=placement, zone=zone,
            insert=insert, campaign=campaign, creative=creative, article=article,
            preview=preview, hour=hour, invalid=invalid, signed_at=signed_at)

    def to_payload(self) -> dict:
        """Give a compact dict (short keys, Nones left out) to sign."""
        # getattr, not dataclasses.asdict: this runs for every link of every page view.
        values = ((short, getattr(self, name)) for name, short in KEYS.items())
        return {short: value for short, value in values if value is not None and value is not False}

    def payload_json(self) -> str:
        """Give ``to_payload()`` as compact JSON, the very text ``json.dumps`` gives
        (``separators=(",", ":")``, ``ensure_ascii=False``), written out directly:
        the decision signs one per thing shown, and ``json.dumps`` of a dict costs
        three times as much. The page view and the reason are strings, ``preview``
        true or left out, every other field a number or left out."""
        fields = self.__dict__
        text = '{"v":' + encode_basestring(fields["view"])
        for name, short in NUMBERS:
            value = fields[name]
            if value is not None:
                text += f',"{short}":{value}'
        if fields["preview"]:
            text += ',"x":true'
        if fields["hour"] is not None:
            text += f',"h":{fields["hour"]}'
        if fields["invalid"] is not None:
            text += ',"f":' + encode_basestring(fields["invalid"])
        return text + "}"

    @classmethod
    def from_payload(cls, payload, signed_at: int | None = None) -> "Shown":
        if not isinstance(payload, dict):
            raise ValueError("token payload is not an object")
        values = {name: payload.get(short) for name, short in KEYS.items()}
        values["preview"] = bool(values["preview"])
        # ``type(…) is int``: a JSON true is a Python bool, an int to ``isinstance``.
        if not isinstance(values["view"], str) or type(values["site"]) is not int:
            raise ValueError("token lacks its page view or site")
        for name in ("layout", "placement", "zone", "insert", "campaign", "creative", "article",
                     "hour"):
            if values[name] is not None and type(values[name]) is not int:
                raise ValueError(f"token field {name} is not a number")
        if values["invalid"] is not None and not isinstance(values["invalid"], str):
            raise ValueError("token field invalid is not a reason")
        return cls(**values, signed_at=signed_at)


KEYS = {"view": "v", "site": "s", "layout": "l", "placement": "p", "zone": "z", "insert": "i",
        "campaign": "c", "creative": "k", "article": "a", "preview": "x",
        "hour": "h", "invalid": "f"}
# The numbers between the page view and ``preview``, in the payload's order.
NUMBERS = tuple((name, KEYS[name]) for name in ("site", "layout", "placement", "zone", "insert",
                                                 "campaign", "creative", "article"))
