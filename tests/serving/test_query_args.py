"""The decision reads its query as ``request.args.get`` would, without a MultiDict."""

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from ad_manager.serving.page_query import query_args

QUERIES = [
    "site=journal&layout=article&vw=1280",
    "site=a&site=b",  # the first value, as MultiDict.get gives it
    "title=Caf%C3%A9+cr%C3%A8me&section=&tags=a,b",
    "title=%ff%fe&url=%E2%82",  # invalid UTF-8 stays percent-encoded
    "=x&&k&k2=&%20=%20",
    "title=" + "é" * 20,
    "a+b=c+d&a%2Bb=%2B&x=1%3D2=3&=&==&%=%&a%20b=no",  # the same name written two ways
    "url=https%3A%2F%2Fwww.journal.example%2Fpolitique%2Fx&title=Bench&tags=a%2Cb",
    "k=%7e%7E&k2=%E9t%C3%A9&%C3%A9=%C3%A9",
    "a=%C3é&b=é%A9&c=%C3%A9é&d=%&e=%4&f=%zz&g=%E2%82%AC+%e2%82%ac",  # halves, stray bytes
    "a;b=1&c=2;d=3",  # ';' is no separator
]


@pytest.mark.parametrize("query", QUERIES)
def test_parameters_are_what_request_args_gives(query):
    request = Request(EnvironBuilder(query_string=query).get_environ())
    found = query_args(request.query_string)
    assert set(found) == set(request.args)
    assert all(found[name] == request.args.get(name) for name in request.args)
