"""The accessibility audit of browser tests: axe-core (vendored under tests/vendor)
run inside a page, keeping the serious and critical violations.

The dashboard's Content-Security-Policy forbids injected scripts, so the audit
needs a browser context made with ``bypass_csp=True`` (the pages' own CSP stays
tested elsewhere).
"""

import os
from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")

RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' → ' + n.failureSummary)}));
}"""


def audit(page) -> list[dict]:
    """Give the page's serious and critical axe violations (empty when it passes)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    return [v for v in page.evaluate(RUN) if v["impact"] in SERIOUS]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
                     for v in violations)


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot under $SCREENSHOT_DIR when it is set (to look at)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
