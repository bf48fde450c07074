"""Languages: which one a request gets, and the tooling that keeps catalogues whole.

UI strings are written in English in the code and templates; French, the default
language, comes from the catalogues. Each area keeps its own catalogue under
``ad_manager/translations/<area>/`` so that areas can grow without touching one
shared file; Flask-Babel merges them.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import current_app, has_request_context, request
from flask_login import current_user

from ad_manager.wings import PUBLIC_BLUEPRINTS

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
EXTRACT_METHODS = [
    ("ad_manager/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),  # e-mails
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def select_locale() -> str:
    """Give the signed-in user's language, else the best of Accept-Language, else French.

    Public pages (the client report) never look for a user: that would read the session.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the shell speaks the default language
        return languages[0]
    if (request.blueprint not in PUBLIC_BLUEPRINTS and current_user
            and current_user.is_authenticated and current_user.language in languages):
        return current_user.language
    return request.accept_languages.best_match(languages) or languages[0]


def translation_directories() -> list[str]:
    """List every area's catalogue folder, for ``BABEL_TRANSLATION_DIRECTORIES``."""
    if not TRANSLATIONS_DIR.is_dir():
        return []
    return sorted(str(p) for p in TRANSLATIONS_DIR.iterdir() if p.is_dir())


def extract_messages() -> dict[str, list[str]]:
    """Extract every translatable string of the code and templates, with where it stands."""
    found: dict[str, list[str]] = {}
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"},
               "templates/**.txt": {"extensions": "jinja2.ext.do"}}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        str(PROJECT_DIR), EXTRACT_METHODS, keywords=KEYWORDS, options_map=options,
    ):
        if not filename.startswith(("ad_manager", "templates")):
            continue
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def catalogue_path(area: str, locale: str = "fr") -> Path:
    return TRANSLATIONS_DIR / area / locale / "LC_MESSAGES" / "messages.po"


def load_catalogues(locale: str = "fr") -> dict[str, Catalog]:
    """Read every area's catalogue for ``locale``, by area name."""
    catalogues = {}
    for directory in translation_directories():
        path = Path(directory) / locale / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as f:
                catalogues[Path(directory).name] = read_po(f, locale=locale)
    return catalogues


def missing_translations(locale: str = "fr") -> dict[str, list[str]]:
    """Give the extracted strings that no catalogue translates, with their places."""
    translated = set()
    for catalogue in load_catalogues(locale).values():
        for message in catalogue:
            if message.id and message.string and all(message.string if isinstance(
                    message.string, tuple) else [message.string]):
                translated.add(message.id if isinstance(message.id, str) else message.id[0])
    return {m: where for m, where in extract_messages().items() if m not in translated}


def add_missing(area: str, locale: str = "fr") -> list[str]:
    """Append untranslated strings to ``area``'s catalogue with empty translations."""
    path = catalogue_path(area, locale)
    if path.exists():
        with path.open("rb") as f:
            catalogue = read_po(f, locale=locale)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalogue = Catalog(locale=locale, project="Ad Manager")
    missing = missing_translations(locale)
    for msgid, where in missing.items():
        if msgid not in catalogue:
            places = [w.rsplit(":", 1) for w in where[:3]]
            catalogue.add(msgid, "", locations=[(name, int(line)) for name, line in places])
    with path.open("wb") as f:
        write_po(f, catalogue, width=100, omit_header=False)
    return list(missing)


def compile_catalogues() -> list[Path]:
    """Write the ``.mo`` file beside every ``.po`` file; give the files written."""
    written = []
    for po in TRANSLATIONS_DIR.glob("*/*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            catalogue = read_po(f)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as f:
            write_mo(f, catalogue)
        written.append(mo)
    return written
