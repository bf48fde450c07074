"""Shell commands, all through ``flask --app app …``; the factory registers ``COMMANDS``."""

from ad_manager.cli.alerts import alerts_group
from ad_manager.cli.catalog import import_feed_command
from ad_manager.cli.loader import build_loader_command
from ad_manager.cli.setup import (
    create_user_command,
    demo_command,
    setup_command,
    translations_group,
)
from ad_manager.cli.snippet import snippet_command
from ad_manager.cli.stats import report_command, stats_group

COMMANDS = [setup_command, demo_command, create_user_command, translations_group,
            import_feed_command, snippet_command, build_loader_command, stats_group,
            report_command, alerts_group]
