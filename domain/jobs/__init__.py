"""Background jobs as their owner sees them: status, progress and outcome, whatever runs them."""
