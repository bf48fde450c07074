"""Checking the CSS selectors staff type in, before a reader's browser trips on them."""

from cssselect import SelectorError, parse


def selector_problem(text: str) -> str | None:
    """Give why ``text`` is not a selector the loader can use, or None when it is.

    The loader runs it through ``querySelectorAll``: a syntax error would throw
    in the reader's page, and a pseudo-element (``::before``) never finds an element.
    """
    try:
        selectors = parse(text)
    except SelectorError as error:
        return str(error)
    if any(selector.pseudo_element for selector in selectors):
        return "pseudo-element"
    return None
