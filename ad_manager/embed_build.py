"""Build the page scripts: ``static/embed-src/*.js`` into the committed, minified
``static/embed.js`` (the loader) and ``static/embed-head.js`` (the head part).

The sources are ES modules; esbuild bundles each entry into one IIFE and minifies it.
``static/embed-src/constants.js`` is written first from ``delivery/embed_rules.py``,
so the scripts and the server share one set of values. The app at run time only
reads the built files: esbuild (an npm devDependency, ``npm ci``) is a build and
test tool. Run ``flask --app app build-loader`` or ``make loader``.
"""

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ad_manager.delivery import embed_rules

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
SOURCE = STATIC / "embed-src"
CONSTANTS = "constants.js"
# Built file in static/ → its entry module in static/embed-src/.
ENTRIES = {"embed.js": "loader.js", "embed-head.js": "head.js"}
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
# Same version, same bytes: package.json pins esbuild exactly.
ESBUILD_OPTIONS = ("--bundle", "--minify", "--format=iife", "--target=es2020",
                   "--charset=ascii", "--legal-comments=none", "--log-level=warning")


class BuildError(RuntimeError):
    """The scripts could not be built (esbuild missing or failing)."""


def constants_module() -> str:
    """Give static/embed-src/constants.js as generated from the Python rules."""
    lines = [
        "// Generated from ad_manager/delivery/embed_rules.py by `flask --app app build-loader`:",
        "// edit the Python module, then rebuild.",
    ]
    for name, value in embed_rules.SCRIPT_CONSTANTS.items():
        lines.append(f"export const {name} = {json.dumps(value, ensure_ascii=True)};")
    return "\n".join(lines) + "\n"


def esbuild_path() -> Path:
    """Give the esbuild executable, or explain how to install it."""
    if not ESBUILD.exists():
        raise BuildError(f"{ESBUILD} is missing: run `npm ci` in {ROOT} (see package.json).")
    return ESBUILD


def build() -> dict[Path, bytes]:
    """Build every script from the sources as they are now, writing nothing in place.

    Gives {committed path: content}: the generated constants module and each built file.
    """
    esbuild = esbuild_path()
    constants = constants_module().encode()
    with tempfile.TemporaryDirectory(prefix="adm-embed-") as tmp:
        source = Path(tmp) / "src"
        shutil.copytree(SOURCE, source)
        (source / CONSTANTS).write_bytes(constants)
        out = Path(tmp) / "out"
        entries = [str(source / entry) for entry in ENTRIES.values()]
        command = [str(esbuild), *entries, *ESBUILD_OPTIONS, f"--outdir={out}"]
        # Our own pinned binary and fixed arguments: nothing from outside.
        result = subprocess.run(command,  # noqa: S603
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BuildError(result.stderr.strip() or f"esbuild exited {result.returncode}")
        built = {STATIC / name: (out / entry).read_bytes() for name, entry in ENTRIES.items()}
    if b"</script" in built[STATIC / "embed-head.js"].lower():
        raise BuildError("embed-head.js would close the inline <script> it is pasted in")
    return {SOURCE / CONSTANTS: constants, **built}


def write() -> dict[Path, bytes]:
    """Build and write every script in place; give what was written."""
    files = build()
    for path, content in files.items():
        path.write_bytes(content)
    return files


def report(files: dict[Path, bytes]) -> str:
    """Describe what was built: each file's size, raw and gzipped (level 6, as served)."""
    return "\n".join(f"{path.relative_to(ROOT)}: {len(content)} bytes, "
                     f"{len(gzip.compress(content, compresslevel=6))} gzipped"
                     for path, content in files.items())


def main() -> None:
    """``python -m ad_manager.embed_build``: the same as ``flask --app app build-loader``."""
    try:
        print(report(write()))
    except BuildError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
