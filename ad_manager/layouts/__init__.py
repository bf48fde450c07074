"""Article layouts: creating them, their placements, and what readers' pages need."""
