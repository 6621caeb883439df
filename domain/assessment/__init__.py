"""The assessment quiz: a versioned question bank, adaptive branching, validation, and profile snapshots."""
