"""Helpers of the dashboard tests: valid form posts, for tests to spoil one field."""

# What a remove, archive or ✕ button posts once the person said yes (dialog or page).
YES = {"confirmed": "yes"}


def zone_form(site, **fields):
    """The new-zone form of ``site``, valid: the banner sizes and their size map."""
    data = {"site_id": str(site.id), "name": "Votre Pub ici", "slug": "votre-pub-ici",
            "sizes": ["728x90", "320x100"], "custom_sizes": "",
            "size_map": "0: 320x100\n768: 728x90", "label": "Publicité", "unsold": "house"}
    data.update(fields)
    return data


def campaign_form(advertiser, zones=(), **fields):
    data = {"advertiser_id": str(advertiser.id), "name": "Noël 2026",
            "starts_at": "2026-12-01T00:00", "ends_at": "2026-12-24T23:59",
            "zones": [str(z.id) for z in zones], "tier": "standard", "weight": "3",
            "goal_impressions": "100000", "daily_cap": "", "pace": "even",
            "freq_cap_count": "3", "freq_cap_hours": "24", "target_sections": "culture, sport",
            "target_tags": "", "target_devices": ["phone"], "target_languages": "fr",
            "state": "active"}
    data.update(fields)
    return data
