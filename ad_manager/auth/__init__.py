"""Staff sign-in, first run and roles."""
