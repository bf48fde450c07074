"""Article layouts: creating them, their placements, and what readers' pages need."""


class LayoutError(ValueError):
    """A layout or placement change the rules refuse; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
