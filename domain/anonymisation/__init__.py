"""Anonymised copies of the database for testing and staging: per-collection field rules and consistent fakes."""
