"""A small rule language for program eligibility, evaluated with three-valued (Kleene) logic.

Facts are a flat mapping; a missing key or a ``None`` value means "unknown", never "no". Catalog rules
state *necessary* conditions: NOT_ELIGIBLE must be certain for the modelled requirements, so a rule that
cannot be stated without guessing is left out and described in the program's summary instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

_T = TypeVar("_T")


class Operator(StrEnum):
    EQ = "eq"
    NE = "ne"
    GTE = "gte"
    LTE = "lte"
    GT = "gt"
    LT = "lt"
    IN = "in"
    NOT_IN = "not_in"
    IS_TRUE = "is_true"
    IS_FALSE = "is_false"


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    POSSIBLY_ELIGIBLE = "possibly_eligible"
    NOT_ELIGIBLE = "not_eligible"


@dataclass(frozen=True, slots=True)
class Leaf:
    """One comparison of a fact with a constant; `rule_id` is stable so clients can refer to it."""

    rule_id: str
    fact: str
    op: Operator
    value: object
    description: str


@dataclass(frozen=True, slots=True)
class AllOf:
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """Negation; it carries its own id and description because a failed `not` has no failed leaf."""

    rule: Rule
    rule_id: str
    description: str


@dataclass(frozen=True, slots=True)
class When:
    """``then`` applies only if ``condition`` holds; reports only ``then``'s failures (unlike any_of)."""

    condition: Rule
    then: Rule


Rule = Leaf | AllOf | AnyOf | Not | When


@dataclass(frozen=True, slots=True)
class RuleRef:
    """A leaf (or `not`) named in a verdict: which requirement failed or could not be decided."""

    rule_id: str
    description: str
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """`failed` is filled only for NOT_ELIGIBLE; `missing_facts`/`undecided` only for POSSIBLY_ELIGIBLE.

    `undecided` names the requirements that may still fail; `missing_facts` the facts that would decide.
    """

    verdict: Verdict
    failed: tuple[RuleRef, ...] = ()
    missing_facts: tuple[str, ...] = ()
    undecided: tuple[RuleRef, ...] = ()


_NO_VALUE_OPERATORS = frozenset({Operator.IS_TRUE, Operator.IS_FALSE})
_SET_OPERATORS = frozenset({Operator.IN, Operator.NOT_IN})


def leaf(rule_id: str, fact: str, op: Operator | str, value: object = None, *, description: str) -> Leaf:
    """Build a leaf, checking the operator/value shape now rather than at evaluation time."""
    operator = Operator(op)
    if operator in _NO_VALUE_OPERATORS and value is not None:
        raise ValueError(f"{rule_id}: {operator} takes no value")
    if operator in _SET_OPERATORS:
        if not isinstance(value, tuple | frozenset):
            raise ValueError(f"{rule_id}: {operator} needs a tuple or frozenset")
    elif operator not in _NO_VALUE_OPERATORS and value is None:
        raise ValueError(f"{rule_id}: {operator} needs a value")
    return Leaf(rule_id, fact, operator, value, description)


def is_true(rule_id: str, fact: str, *, description: str) -> Leaf:
    return leaf(rule_id, fact, Operator.IS_TRUE, description=description)


def all_of(*rules: Rule) -> AllOf:
    if not rules:
        raise ValueError("all_of needs at least one rule")
    return AllOf(tuple(rules))


def any_of(*rules: Rule) -> AnyOf:
    if not rules:
        raise ValueError("any_of needs at least one rule")
    return AnyOf(tuple(rules))


def not_(rule: Rule, *, rule_id: str, description: str) -> Not:
    return Not(rule, rule_id, description)


def when(condition: Rule, then: Rule) -> When:
    return When(condition, then)


def iter_nodes(rule: Rule) -> Iterator[Rule]:
    """Every node of the tree, depth first, parents before children."""
    yield rule
    match rule:
        case AllOf(rules) | AnyOf(rules):
            for child in rules:
                yield from iter_nodes(child)
        case Not(inner, _, _):
            yield from iter_nodes(inner)
        case When(condition, then):
            yield from iter_nodes(condition)
            yield from iter_nodes(then)
        case Leaf():
            pass


def iter_leaves(rule: Rule) -> Iterator[Leaf]:
    return (node for node in iter_nodes(rule) if isinstance(node, Leaf))


def referenced_facts(rule: Rule) -> frozenset[str]:
    return frozenset(node.fact for node in iter_leaves(rule))


@dataclass(frozen=True, slots=True)
class _Outcome:
    value: bool | None
    failed: tuple[RuleRef, ...] = ()
    undecided: tuple[RuleRef, ...] = ()
    missing: tuple[str, ...] = ()


def evaluate(rule: Rule, facts: Mapping[str, object]) -> Evaluation:
    """Decide a rule tree against facts; unknown facts make the verdict POSSIBLY_ELIGIBLE, not NOT."""
    outcome = _evaluate(rule, facts)
    if outcome.value is True:
        return Evaluation(Verdict.ELIGIBLE)
    if outcome.value is False:
        return Evaluation(Verdict.NOT_ELIGIBLE, failed=outcome.failed)
    return Evaluation(Verdict.POSSIBLY_ELIGIBLE, missing_facts=outcome.missing, undecided=outcome.undecided)


def _evaluate(rule: Rule, facts: Mapping[str, object]) -> _Outcome:
    match rule:
        case Leaf():
            return _evaluate_leaf(rule, facts)
        case AllOf(rules):
            outcomes = [_evaluate(child, facts) for child in rules]
            if any(o.value is False for o in outcomes):
                return _Outcome(False, failed=_merge(o.failed for o in outcomes if o.value is False))
            return _unknown_or_true(outcomes)
        case AnyOf(rules):
            outcomes = [_evaluate(child, facts) for child in rules]
            if any(o.value is True for o in outcomes):
                return _Outcome(True)
            if all(o.value is False for o in outcomes):
                return _Outcome(False, failed=_merge(o.failed for o in outcomes))
            return _unknown_or_true(outcomes)
        case Not(inner, rule_id, description):
            outcome = _evaluate(inner, facts)
            if outcome.value is None:
                return outcome
            if outcome.value:
                ref = RuleRef(rule_id, description, tuple(sorted(referenced_facts(inner))))
                return _Outcome(False, failed=(ref,))
            return _Outcome(True)
        case When(condition, then):
            guard = _evaluate(condition, facts)
            if guard.value is False:
                return _Outcome(True)
            result = _evaluate(then, facts)
            if guard.value is True or result.value is True:
                return result
            # Unknown condition, consequence not met: the requirement may apply; the condition decides.
            return _Outcome(
                None,
                undecided=result.failed or result.undecided,
                missing=_dedupe((*guard.missing, *result.missing)),
            )


def _unknown_or_true(outcomes: list[_Outcome]) -> _Outcome:
    unknown = [o for o in outcomes if o.value is None]
    if not unknown:
        return _Outcome(True)
    return _Outcome(
        None,
        undecided=_merge(o.undecided for o in unknown),
        missing=_dedupe(fact for o in unknown for fact in o.missing),
    )


def _evaluate_leaf(rule: Leaf, facts: Mapping[str, object]) -> _Outcome:
    ref = RuleRef(rule.rule_id, rule.description, (rule.fact,))
    if _is_unknown(facts, rule.fact):
        return _Outcome(None, undecided=(ref,), missing=(rule.fact,))
    holds = _compare(rule, facts[rule.fact])
    return _Outcome(True) if holds else _Outcome(False, failed=(ref,))


def _compare(rule: Leaf, actual: object) -> bool:
    op, expected = rule.op, rule.value
    if op in _NO_VALUE_OPERATORS:
        if not isinstance(actual, bool):
            raise TypeError(f"{rule.rule_id}: fact {rule.fact!r} must be a bool, got {actual!r}")
        return actual if op is Operator.IS_TRUE else not actual
    if op in _SET_OPERATORS:
        assert isinstance(expected, tuple | frozenset)
        member = any(_equal(actual, option) for option in expected)
        return member if op is Operator.IN else not member
    if op is Operator.EQ:
        return _equal(actual, expected)
    if op is Operator.NE:
        return not _equal(actual, expected)
    left, right = _number(rule, actual), _number(rule, expected)
    match op:
        case Operator.GTE:
            return left >= right
        case Operator.LTE:
            return left <= right
        case Operator.GT:
            return left > right
        case _:
            return left < right


def _equal(actual: object, expected: object) -> bool:
    if _is_number(actual) and _is_number(expected):
        return Decimal(str(actual)) == Decimal(str(expected))
    return actual == expected


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _number(rule: Leaf, value: object) -> Decimal:
    # Through str so that 45934.2 (float) equals Decimal("45934.20") instead of falling short of it.
    if not _is_number(value):
        raise TypeError(f"{rule.rule_id}: {rule.op} compares numbers, got {value!r} for {rule.fact!r}")
    return Decimal(str(value))


def _is_unknown(facts: Mapping[str, object], name: str) -> bool:
    return facts.get(name) is None


def _merge(groups: Iterable[tuple[RuleRef, ...]]) -> tuple[RuleRef, ...]:
    return _dedupe(ref for group in groups for ref in group)


def _dedupe(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))
