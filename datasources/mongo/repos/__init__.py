"""Repositories: every query the identity area makes, named, with reads scoped to the caller."""
