"""The demo site gets its zones, two advertisers with live campaigns, and a finished one."""

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from ad_manager.extensions import db
from ad_manager.models import Advertiser, Campaign, Creative, Zone
from tests.conftest import make_app


def test_setup_demo_twice_loads_the_inventory_once(database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        return  # the command is the same on PostgreSQL; migrations are tested there
    uploads = tmp_path / "uploads"
    app = make_app("sqlite:///" + str(tmp_path / "demo.sqlite3"), UPLOAD_FOLDER=str(uploads))
    for _ in range(2):
        result = app.test_cli_runner().invoke(args=["setup", "--demo"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        count = lambda model: db.session.scalar(sa.select(sa.func.count(model.id)))  # noqa: E731
        assert (count(Zone), count(Advertiser), count(Campaign), count(Creative)) == (2, 2, 3, 4)
        zone = db.session.scalar(sa.select(Zone).where(Zone.slug == "votre-pub-ici"))
        assert zone.size_map == [{"min_width": 0, "sizes": ["320x100"]},
                                 {"min_width": 768, "sizes": ["728x90"]}]
        assert zone.unsold == "house"
        colonne = db.session.scalar(sa.select(Zone).where(Zone.slug == "colonne"))
        assert colonne.sizes == ["300x250"]
        now = datetime.now(UTC)
        statuses = sorted(c.status(now) for c in db.session.scalars(sa.select(Campaign)))
        assert statuses == ["finished", "live", "live"]
        images = db.session.scalars(sa.select(Creative).where(Creative.kind == "image")).all()
        assert sorted(c.size for c in images) == ["320x100", "728x90"]
        for creative in images:
            with Image.open(uploads / creative.image_file) as image:
                assert f"{image.width}x{image.height}" == creative.size
        assert len(list(Path(uploads).iterdir())) == 2  # the second load kept the files
        velos = db.session.scalar(sa.select(Advertiser).where(Advertiser.name == "Vélos Martin"))
        live = next(c for c in velos.campaigns if c.status(now) == "live")
        assert sorted(z.slug for z in live.zones) == ["colonne", "votre-pub-ici"]
        assert [c.kind for c in live.creatives] == ["text"]
        db.engine.dispose()
