"""The public hot path: the embed loader, decisions, events and clicks."""
