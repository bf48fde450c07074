"""Helpers of the serving tests: a page view's decision request and its answer read by
placement (the reference inventory of tests.factories.make_inventory)."""

from urllib.parse import urlencode

PAGE = "https://www.journal.example/politique/ce-jour-la"


def serve(client, headers=None, **params):
    query = {"site": "journal", "layout": "article", "url": PAGE, "title": "Ce jour-là",
             "section": "politique", "vw": "1280", "lang": "fr"}
    query.update(params)
    query = {k: v for k, v in query.items() if v is not None}
    return client.get("/serve?" + urlencode(query), headers=headers or {})


def placements(response) -> dict:
    assert response.status_code == 200, response.json
    return {p["zone"]["slug"] if p["kind"] == "zone" else f"insert-{p['paragraph']}": p
            for p in response.json["placements"]}
