"""Ordered migrations, `async def up(db)` each; never edited once applied, except as recorded below."""

# The move from Motor to PyMongo's async client changed only these files' type imports; databases that
# applied the Motor-era files accept them (checksums before that edit).
SUPERSEDED_CHECKSUMS: dict[str, frozenset[str]] = {
    "0001_initial": frozenset({"86c9c846288e8df9d898b150c6ebeb3f91966c673176c24761c9b85c906f7d42"}),
    "0002_identity": frozenset({"32a3c0e1617ea06d1042bb350f46dd2fb12fc613a682d43b1f90d66b28a4a226"}),
    "0003_assessments": frozenset({"59289f3cd481eb968565b13b89af9587c33f2a37a3db46f97d82d771fa9ce3cb"}),
    "0004_roadmaps": frozenset({"14354d68cec6fd3d8e1b4aaea0e4f2f9923a8333883e84f9e9c5a173de51180f"}),
}
