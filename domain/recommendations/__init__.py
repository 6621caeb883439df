"""Eligibility per program, ranked recommendations with official points, and gap analysis."""
