"""The test suite, in folders by wing: domain, dashboard, serving, browser."""
