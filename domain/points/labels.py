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
