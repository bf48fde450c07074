"""The demo site: the reference French article page, its zones, inserts and layout.

Each area adds its part in its own module; ``load_demo`` runs them in order and is
safe to run again (it updates what is there instead of duplicating it).
"""

from ad_manager.demo.campaigns import load_inventory
from ad_manager.demo.catalog import load_catalog
from ad_manager.demo.layouts import load_layouts
from ad_manager.demo.site import load_site

# Steps after the site, each ``step(site)``; later areas append theirs.
STEPS = [
    load_inventory,
    load_catalog,
    load_layouts,
]


def load_demo():
    """Create or refresh the demo site and everything on it; the caller commits."""
    site = load_site()
    for step in STEPS:
        step(site)
    return site
