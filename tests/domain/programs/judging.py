"""Evaluate a catalog program against facts, the way the service will (ranks and CLB minimum derived)."""

from collections.abc import Mapping

from domain.programs.catalog import PROGRAM_BY_SLUG
from domain.programs.rules import Evaluation, evaluate
from domain.programs.vocabulary import derive_facts


def judge(slug: str, facts: Mapping[str, object], **changes: object) -> Evaluation:
    return evaluate(PROGRAM_BY_SLUG[slug].eligibility, derive_facts({**facts, **changes}))


def failed_ids(result: Evaluation) -> list[str]:
    return [ref.rule_id for ref in result.failed]


FactValues = dict[str, object]
