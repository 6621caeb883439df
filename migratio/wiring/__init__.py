"""Wiring: one instance of each adapter per process, and the domain services built on them."""
