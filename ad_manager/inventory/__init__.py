"""Inventory rules and services: sites, zones, advertisers, campaigns and creatives.

Each area's module checks a form's values (raising ``ad_manager.invalid.Invalid``
with a message per field) and gives the service functions the dashboard calls:
create, update, remove or archive, restore.
"""
