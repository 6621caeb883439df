"""Product analytics: events from the use cases and the apps, pseudonymous and consent-aware, and the reports."""
