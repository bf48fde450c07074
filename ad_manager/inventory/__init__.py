"""Inventory rules: sites, zones, advertisers, campaigns and creatives.

Plain functions that take values and either apply them or raise ``Invalid`` with a
message per form field; the dashboard shows each message next to its field.
"""


class Invalid(ValueError):
    """Values that break an inventory rule, as ``{field name: message}``."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def on(cls, field: str, message: str) -> "Invalid":
        """Give the error of one field."""
        return cls({field: message})
