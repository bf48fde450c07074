"""What the server and the page scripts agree on: one place for each rule.

The head script and the loader (``static/embed-src/``) read these through
``static/embed-src/constants.js``, which ``flask --app app build-loader`` writes
from this module; the placeholders, the decision and the layout preview read
them here. Change a value here, rebuild, and every side follows.
"""

# Viewports up to this width are phones for placements marked "phone" or "wide".
PHONE_MAX_WIDTH = 767
# Height of the "Publicité" line above a zone, in CSS pixels.
LABEL_HEIGHT = 16
# The paragraph rule: a <p> with text counts, unless it sits inside one of these
# (quotes, figures, tables, lists, asides, headers, footers, navs) or one of our boxes.
NOT_COUNTED_IN = ("blockquote", "figure", "table", "li", "aside", "header", "footer", "nav")
OUR_BOX_CLASS = "adm-slot"
NOT_COUNTED_SELECTOR = ",".join([*NOT_COUNTED_IN, f".{OUR_BOX_CLASS}"])

# Shared by placeholders, the head part and /embed.css (which the loader links when
# the script tag comes alone), so boxes have their final look whichever part drew them.
BASE_CSS = (
    f".{OUR_BOX_CLASS}{{display:block;clear:both;overflow:hidden;box-sizing:content-box}}"
    ".adm-zone{margin:16px 0;text-align:center}"
    f".adm-label{{display:block;height:{LABEL_HEIGHT}px;font:11px/{LABEL_HEIGHT}px sans-serif;"
    "color:#6b6b6b;letter-spacing:.05em;text-transform:uppercase;overflow:hidden}"
    ".adm-zone img{display:block;margin:0 auto;max-width:100%;height:auto;border:0}"
    ".adm-zone iframe{display:block;margin:0 auto;max-width:100%;border:0}"
    ".adm-insert .adm-line{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
    ".adm-ad{display:flex;flex-direction:column;align-items:center;justify-content:center;"
    "overflow:hidden}"
    ".adm-text{display:flex;flex-direction:column;justify-content:center;box-sizing:border-box;"
    "width:100%;height:100%;padding:4px 12px;border:1px solid #ddd;background:#f7f7f7;"
    "color:#222;text-decoration:none;font:14px/1.3 sans-serif;overflow:hidden}"
    ".adm-text strong{display:block;font-size:16px}"
    ".adm-house{border-style:dashed;background:#fff}"
    ".adm-house strong{font-size:20px;letter-spacing:.02em}"
)

# What the page scripts get, by the name they use (static/embed-src/constants.js).
SCRIPT_CONSTANTS = {
    "PHONE_MAX_WIDTH": PHONE_MAX_WIDTH,
    "LABEL_HEIGHT": LABEL_HEIGHT,
    "NOT_COUNTED": NOT_COUNTED_SELECTOR,
}
