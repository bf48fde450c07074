"""French first, English complete: every UI string translatable and translated."""

import re
from pathlib import Path

from ad_manager.i18n import PROJECT_DIR, missing_translations

# Text that stays the same in both languages (brand, symbols, units).
UNTRANSLATED_OK = {"Ad Manager", "Français", "English", "×", "→", "←", "☰", "#", "%", "—", "·",
                   "CSV", "CTR", "HTML", "URL", "CSS", "ID", "px", "OK"}
CLASS_BLOCK = re.compile(r"{%\s*block \w*class\s*%}.*?{%\s*endblock\s*%}", re.S)
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.S | re.I)


def literal_texts(template: Path) -> list[str]:
    """Give the bits of human text a template writes outside ``_()`` calls."""
    source = JINJA.sub(" ", CLASS_BLOCK.sub(" ", template.read_text()))
    text = TAG.sub("\n", source)
    found = []
    for line in text.splitlines():
        chunk = line.strip()
        rest = chunk
        for word in UNTRANSLATED_OK:
            rest = rest.replace(word, " ")
        if re.search(r"[A-Za-zÀ-ÿ]{2,}", rest):
            found.append(chunk)
    return found


def test_every_template_string_is_translatable():
    offenders = {}
    for template in (PROJECT_DIR / "templates").rglob("*.html"):
        if "demo" in template.parts:  # the demo article is French content, not UI
            continue
        texts = literal_texts(template)
        if texts:
            offenders[str(template.relative_to(PROJECT_DIR))] = texts
    assert offenders == {}, f"wrap these in _(): {offenders}"


def test_french_catalogue_translates_every_string():
    missing = missing_translations("fr")
    assert missing == {}, (
        "untranslated strings (flask --app app translations add-missing AREA): "
        + "; ".join(f"{m!r} at {w[0]}" for m, w in sorted(missing.items())))


def test_french_is_the_default_and_english_on_request(client, staff):
    assert "Connexion" in client.get("/login").text
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign in" in english.text
    assert 'lang="en"' in english.text


def test_the_users_language_preference_wins(app, staff, as_role):
    from ad_manager.extensions import db

    staff["viewer"].language = "en"
    db.session.commit()
    client = as_role("viewer")
    assert "Sign out" in client.get("/", headers={"Accept-Language": "fr"}).text


def test_areas_translate_a_shared_string_the_same_way():
    """Flask-Babel merges the areas' catalogues; two translations of one string would
    make the screen's word depend on the merge order."""
    from ad_manager.i18n import load_catalogues

    seen: dict[str, dict[str, str]] = {}
    for area, catalogue in load_catalogues().items():
        for message in catalogue:
            if message.id and message.string and isinstance(message.id, str):
                seen.setdefault(message.id, {})[area] = message.string
    clashes = {msgid: areas for msgid, areas in seen.items() if len(set(areas.values())) > 1}
    assert clashes == {}
