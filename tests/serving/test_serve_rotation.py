"""Serving follows the creative rotation setting: image and text ads of one campaign
share a desktop zone by weight, or the largest size only with PREFER_LARGEST_CREATIVE."""

from collections import Counter

from ad_manager.models import Creative
from tests.factories import make_inventory
from tests.serving.conftest import placements, serve


def test_serving_rotates_image_and_text_unless_the_setting_says_largest(app, client):
    app.config["SNAPSHOT_CHECK_SECONDS"] = 0
    make_inventory(creatives=[
        Creative(kind="image", width=728, height=90, image_file="wide.png", alt_text="Livres",
                 click_url="https://librairie.example/"),
        Creative(kind="text", headline="Des livres pour l’hiver",
                 click_url="https://librairie.example/texte")])
    kinds = Counter(placements(serve(client, view=str(n)))["votre-pub-ici"]["ad"]["type"]
                    for n in range(40))
    assert kinds["text"] >= 5 and kinds["image"] >= 5, kinds  # 1:1, P(miss) ≈ 1e-7
    app.config["PREFER_LARGEST_CREATIVE"] = True
    kinds = Counter(placements(serve(client))["votre-pub-ici"]["ad"]["type"] for _ in range(20))
    assert kinds == {"image": 20}
