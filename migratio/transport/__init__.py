"""HTTP transport: the ASGI app, the GraphQL views and their negotiation, limits, metrics and probes."""
