"""Admin tasks run outside a request: migrations and identity maintenance."""
