"""Analytics adapters: the request's origin, the in-process event buffer and its flusher, the OpenSearch event
indices (template, bulk writes, aggregations, retention, anonymised export) and the consent records."""
