"""Tell a reader's device class (phone, tablet, desktop) from the User-Agent header.

A few ordered rules cover what matters for targeting; they look only at tokens
browsers have sent for a decade. What they cannot know they call "desktop", the
class whose ads fit the widest screens. (Client hints would be better, but the
page's first request carries only the UA.)
"""

import re
from functools import lru_cache

PHONE, TABLET, DESKTOP = "phone", "tablet", "desktop"
DEVICE_CLASSES = (PHONE, TABLET, DESKTOP)

# Tablets first: their UAs often also say "Mobile" (Kindle) or "Android".
_TABLET = re.compile(
    r"iPad|Tablet|PlayBook|Silk/|Kindle|Nexus (?:7|9|10)\b|SM-T\d|Tab(?:let)? ?[A-Z0-9]", re.I)
# Android without "Mobile" is a tablet by Google's own convention.
_ANDROID = re.compile(r"Android", re.I)
_MOBILE = re.compile(r"Mobile|iPhone|iPod|Windows Phone|IEMobile|BlackBerry|Opera Mini|webOS",
                     re.I)


def device_class(user_agent: str | None) -> str:
    """Give "phone", "tablet" or "desktop" for a User-Agent string."""
    return _device_class((user_agent or "")[:512])


@lru_cache(maxsize=4096)  # readers share a few hundred user agents
def _device_class(agent: str) -> str:
    if _TABLET.search(agent):
        return TABLET
    if _ANDROID.search(agent):
        return PHONE if re.search(r"Mobile", agent) else TABLET
    if _MOBILE.search(agent):
        return PHONE
    return DESKTOP
