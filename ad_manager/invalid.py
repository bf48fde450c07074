"""The one error every save rule raises: values that break a rule, field by field.

Services of every area (inventory, catalogue, layouts, accounts) check a form's
values and raise ``Invalid`` before they write anything; the dashboard shows each
message next to its field (``dashboard.form_pages.show_errors``), the shell prints them.
"""


class Invalid(ValueError):
    """Values that break a rule, as ``{field name: message}``."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(str(message) for message in errors.values()))
        self.errors = errors

    @classmethod
    def on(cls, field: str, message: str) -> "Invalid":
        """Give the error of one field."""
        return cls({field: message})
