"""The public hot path: the embed loader, decisions, events, clicks and media.

These blueprints take no session, set no cookie and need no login (their names are
in ``ad_manager.wings``). Nothing here imports the dashboard.
"""
