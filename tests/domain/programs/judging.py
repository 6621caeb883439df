"""Evaluate a catalog program against facts, the way the service will (ranks and CLB minimum derived)."""

from collections.abc import Mapping

from domain.programs.catalog import PROGRAM_BY_SLUG
from domain.programs.facts import derive_facts
from domain.programs.rules import Evaluation, evaluate


def judge(slug: str, facts: Mapping[str, object], **changes: object) -> Evaluation:
    return evaluate(PROGRAM_BY_SLUG[slug].eligibility, derive_facts({**facts, **changes}))


def failed_ids(result: Evaluation) -> list[str]:
    return [ref.rule_id for ref in result.failed]


Facts = dict[str, object]
