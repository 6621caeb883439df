"""The personalised document checklist: the program's documents, kept or dropped by the person's facts.

Partner documents appear only for someone with a partner; per-country documents (police certificates)
become one item per country lived in; a catalog condition that is false drops the document, one that the
profile cannot decide keeps it, marked uncertain, so nothing needed is ever silently left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from domain.profile import Profile
from domain.programs.model import Document, DocumentWho
from domain.programs.rules import Verdict, evaluate
from domain.roadmaps.model import ChecklistItem

COUNTRIES_RESIDED = "countries_resided_6m_since_18"


def countries_lived_in(profile: Profile, destination: str) -> tuple[str, ...]:
    """Where the profile shows the person has lived: passport countries, and where they worked or studied.

    The quiz does not ask for a residence history, so this is the best the answers give; the destination
    itself is left out (it runs its own checks). A client that knows better passes the list explicitly.
    """
    found: set[str] = set(profile.citizenships or ())
    found.update(entry.country for entry in profile.work_history or ())
    found.update(c.country for c in profile.education or () if c.country)
    return tuple(sorted(code for code in found if code != destination))


def with_residence_count(facts: Mapping[str, object], countries: Sequence[str]) -> dict[str, object]:
    """The program's fact values, with the residence count known from the countries lived in."""
    return {**facts, COUNTRIES_RESIDED: len(countries)}


def personalised_checklist(
    documents: Iterable[Document], facts: Mapping[str, object], countries: Sequence[str]
) -> tuple[ChecklistItem, ...]:
    items: list[ChecklistItem] = []
    partnered = facts.get("has_partner") is True
    for document in documents:
        if document.who is DocumentWho.PARTNER and not partnered:
            continue
        uncertain, condition = False, None
        if document.condition is not None:
            evaluation = evaluate(document.condition, facts)
            if evaluation.verdict is Verdict.NOT_ELIGIBLE:
                continue
            if evaluation.verdict is Verdict.POSSIBLY_ELIGIBLE:
                uncertain = True
                condition = "; ".join(ref.description for ref in evaluation.undecided) or None
        if document.who is DocumentWho.EACH_COUNTRY_LIVED_IN:
            items.extend(
                ChecklistItem(
                    key=f"{document.key}:{code}",
                    document_key=document.key,
                    title=f"{document.title} ({code})",
                    description=document.description,
                    who=document.who,
                    country=code,
                )
                for code in countries
            )
            continue
        items.append(
            ChecklistItem(
                key=document.key,
                document_key=document.key,
                title=document.title,
                description=document.description,
                who=document.who,
                uncertain=uncertain,
                condition=condition,
            )
        )
    return tuple(items)
