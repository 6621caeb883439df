"""Immigration programs: the catalog, the facts vocabulary and the eligibility rule language."""
