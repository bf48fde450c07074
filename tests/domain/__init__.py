"""Pure logic, models, services, stats and the shell commands, without a browser."""
