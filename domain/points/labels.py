"""Plain-language names the explanations use."""

from __future__ import annotations

from domain.profile import EducationLevel

EDUCATION_LABELS: dict[EducationLevel, str] = {
    EducationLevel.NONE: "less than secondary school",
    EducationLevel.SECONDARY: "a secondary diploma",
    EducationLevel.ONE_YEAR: "a one-year post-secondary credential",
    EducationLevel.TWO_YEAR: "a two-year post-secondary credential",
    EducationLevel.BACHELOR: "a bachelor's degree or 3-year+ program",
    EducationLevel.TWO_OR_MORE: "two or more credentials, one of 3+ years",
    EducationLevel.MASTER: "a master's or professional degree",
    EducationLevel.DOCTORAL: "a doctorate",
}

SYSTEM_LABELS: dict[str, str] = {
    "crs": "CRS",
    "fsw67": "FSW grid",
    "au_skilled_189": "Australian points (189)",
    "au_skilled_190": "Australian points (190)",
    "au_skilled_491": "Australian points (491)",
    "de_chancenkarte": "Opportunity Card points",
    "nz_smc": "SMC points",
    "uk_skilled_worker": "Skilled Worker points",
}
"""The scale a score is on, named so two programs' numbers are never read as one scale."""


def on_scale(system: str, total: int, maximum: int) -> str:
    """ "CRS 458" (a ranking score, read without its 1,200 maximum) or "FSW grid 74/100"."""
    label = SYSTEM_LABELS.get(system, system)
    return f"{label} {total}" if system == "crs" else f"{label} {total}/{maximum}"
