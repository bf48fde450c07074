"""Helpers of the dashboard tests: valid form posts, for tests to spoil one field."""


def zone_form(site, **fields):
    """The new-zone form of ``site``, valid: the banner sizes and their size map."""
    data = {"site_id": str(site.id), "name": "Votre Pub ici", "slug": "votre-pub-ici",
            "sizes": ["728x90", "320x100"], "custom_sizes": "",
            "size_map": "0: 320x100\n768: 728x90", "label": "Publicité", "unsold": "house"}
    data.update(fields)
    return data
