"""Plans, their entitlements and subscriptions driven by the payment provider's events."""
