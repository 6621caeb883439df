"""The rule language: Kleene three-valued logic, failure and missing-fact reporting, value comparisons."""

from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.programs.rules import (
    AllOf,
    AnyOf,
    Leaf,
    Not,
    Operator,
    Rule,
    Verdict,
    When,
    all_of,
    any_of,
    evaluate,
    is_true,
    iter_leaves,
    leaf,
    not_,
    referenced_facts,
    when,
)

A = is_true("a", "a", description="A holds")
B = is_true("b", "b", description="B holds")
C = is_true("c", "c", description="C holds")


def ids(refs: tuple) -> list[str]:
    return [ref.rule_id for ref in refs]


class TestLeaf:
    @pytest.mark.parametrize(
        ("op", "value", "actual", "holds"),
        [
            (Operator.EQ, 3, 3, True),
            (Operator.EQ, 3, 4, False),
            (Operator.NE, "full", "partial", True),
            (Operator.GTE, 7, 7, True),
            (Operator.GTE, 7, 6, False),
            (Operator.GT, 7, 7, False),
            (Operator.LTE, 55, 55, True),
            (Operator.LT, 45, 45, False),
            (Operator.LT, 45, 44, True),
            (Operator.IN, (0, 1, 2, 3), 3, True),
            (Operator.IN, (0, 1, 2, 3), 4, False),
            (Operator.NOT_IN, ("GB", "US"), "IN", True),
            (Operator.NOT_IN, frozenset({"GB", "US"}), "US", False),
        ],
    )
    def test_comparison_operators_decide_against_a_known_fact(self, op, value, actual, holds):
        rule = leaf("r", "x", op, value, description="x check")
        expected = Verdict.ELIGIBLE if holds else Verdict.NOT_ELIGIBLE
        assert evaluate(rule, {"x": actual}).verdict is expected

    def test_is_true_and_is_false_read_booleans(self):
        assert evaluate(A, {"a": True}).verdict is Verdict.ELIGIBLE
        assert evaluate(A, {"a": False}).verdict is Verdict.NOT_ELIGIBLE
        negative = leaf("r", "a", Operator.IS_FALSE, description="A does not hold")
        assert evaluate(negative, {"a": False}).verdict is Verdict.ELIGIBLE

    def test_a_missing_key_and_a_none_value_are_both_unknown(self):
        for facts in ({}, {"a": None}):
            result = evaluate(A, facts)
            assert result.verdict is Verdict.POSSIBLY_ELIGIBLE
            assert result.missing_facts == ("a",)
            assert ids(result.undecided) == ["a"]

    def test_false_is_a_known_answer_not_an_unknown_one(self):
        assert evaluate(A, {"a": False}).missing_facts == ()

    def test_float_fact_meets_a_decimal_threshold_with_cents_exactly(self):
        rule = leaf("salary", "s", Operator.GTE, Decimal("45934.20"), description="salary")
        assert evaluate(rule, {"s": 45934.2}).verdict is Verdict.ELIGIBLE
        assert evaluate(rule, {"s": Decimal("45934.19")}).verdict is Verdict.NOT_ELIGIBLE

    def test_int_equals_float_of_the_same_value(self):
        rule = leaf("r", "x", Operator.EQ, 3, description="x is 3")
        assert evaluate(rule, {"x": 3.0}).verdict is Verdict.ELIGIBLE

    def test_comparing_a_number_with_text_is_a_programming_error(self):
        rule = leaf("r", "x", Operator.GTE, 3, description="x at least 3")
        with pytest.raises(TypeError, match="compares numbers"):
            evaluate(rule, {"x": "3"})

    def test_a_boolean_is_not_accepted_as_a_number(self):
        rule = leaf("r", "x", Operator.GTE, 0, description="x at least 0")
        with pytest.raises(TypeError):
            evaluate(rule, {"x": True})

    def test_is_true_on_a_non_boolean_is_a_programming_error(self):
        with pytest.raises(TypeError, match="must be a bool"):
            evaluate(A, {"a": 1})

    @pytest.mark.parametrize(
        ("op", "value"),
        [(Operator.IS_TRUE, 1), (Operator.GTE, None), (Operator.IN, [1, 2]), (Operator.IN, None)],
    )
    def test_leaf_rejects_a_value_that_does_not_fit_its_operator(self, op, value):
        with pytest.raises(ValueError):
            leaf("r", "x", op, value, description="bad")

    def test_leaf_accepts_the_operator_name_as_text(self):
        assert leaf("r", "x", "gte", 1, description="x").op is Operator.GTE


class TestAllOf:
    def test_all_true_is_eligible(self):
        assert evaluate(all_of(A, B), {"a": True, "b": True}).verdict is Verdict.ELIGIBLE

    def test_one_false_is_not_eligible_even_if_others_are_unknown(self):
        result = evaluate(all_of(A, B, C), {"a": False})
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert ids(result.failed) == ["a"]
        assert result.missing_facts == ()

    def test_every_failed_leaf_is_reported_with_its_description(self):
        result = evaluate(all_of(A, B, C), {"a": False, "b": True, "c": False})
        assert [(r.rule_id, r.description) for r in result.failed] == [("a", "A holds"), ("c", "C holds")]

    def test_unknown_without_a_false_is_possibly_eligible_listing_the_unknowns(self):
        result = evaluate(all_of(A, B, C), {"a": True})
        assert result.verdict is Verdict.POSSIBLY_ELIGIBLE
        assert result.missing_facts == ("b", "c")
        assert result.failed == ()


class TestAnyOf:
    def test_one_true_leaf_is_enough_even_if_the_others_are_unknown(self):
        assert evaluate(any_of(A, B, C), {"b": True}).verdict is Verdict.ELIGIBLE

    def test_unknown_and_false_is_possibly_eligible_naming_only_the_unknown(self):
        result = evaluate(any_of(A, B), {"a": False})
        assert result.verdict is Verdict.POSSIBLY_ELIGIBLE
        assert result.missing_facts == ("b",)

    def test_all_false_reports_every_alternative_that_failed(self):
        result = evaluate(any_of(A, all_of(B, C)), {"a": False, "b": True, "c": False})
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert ids(result.failed) == ["a", "c"]


class TestNot:
    def test_negates_a_known_result_and_reports_itself_when_it_fails(self):
        rule = not_(A, rule_id="not_a", description="A must not hold")
        assert evaluate(rule, {"a": False}).verdict is Verdict.ELIGIBLE
        result = evaluate(rule, {"a": True})
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert [(r.rule_id, r.description, r.facts) for r in result.failed] == [("not_a", "A must not hold", ("a",))]

    def test_unknown_stays_unknown(self):
        result = evaluate(not_(A, rule_id="not_a", description="A must not hold"), {})
        assert result.verdict is Verdict.POSSIBLY_ELIGIBLE
        assert result.missing_facts == ("a",)


class TestWhen:
    RULE = when(A, B)

    def test_a_false_condition_makes_the_requirement_not_apply(self):
        assert evaluate(self.RULE, {"a": False, "b": False}).verdict is Verdict.ELIGIBLE

    def test_a_true_condition_applies_the_requirement(self):
        result = evaluate(self.RULE, {"a": True, "b": False})
        assert result.verdict is Verdict.NOT_ELIGIBLE
        assert ids(result.failed) == ["b"]

    def test_failures_name_the_requirement_not_the_condition(self):
        result = evaluate(all_of(when(A, B), when(C, B)), {"a": True, "c": False, "b": False})
        assert ids(result.failed) == ["b"]

    def test_a_met_requirement_needs_no_condition(self):
        assert evaluate(self.RULE, {"b": True}).verdict is Verdict.ELIGIBLE

    def test_an_unknown_condition_with_an_unmet_requirement_asks_for_the_condition(self):
        result = evaluate(self.RULE, {"b": False})
        assert result.verdict is Verdict.POSSIBLY_ELIGIBLE
        assert result.missing_facts == ("a",)
        assert ids(result.undecided) == ["b"]


class TestTreeWalking:
    def test_referenced_facts_and_leaves_cover_every_node_kind(self):
        rule = all_of(any_of(A, not_(B, rule_id="nb", description="not B")), when(C, A))
        assert referenced_facts(rule) == {"a", "b", "c"}
        assert [leaf.rule_id for leaf in iter_leaves(rule)] == ["a", "b", "c", "a"]

    def test_empty_groups_are_refused(self):
        with pytest.raises(ValueError):
            all_of()
        with pytest.raises(ValueError):
            any_of()


FACTS = ("a", "b", "c")


def rules() -> st.SearchStrategy[Rule]:
    leaves = st.sampled_from(FACTS).map(lambda f: is_true(f, f, description=f))
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, min_size=1, max_size=3).map(lambda rs: AllOf(tuple(rs))),
            st.lists(children, min_size=1, max_size=3).map(lambda rs: AnyOf(tuple(rs))),
            children.map(lambda r: Not(r, "not", "negation")),
            st.tuples(children, children).map(lambda pair: When(*pair)),
        ),
        max_leaves=8,
    )


def two_valued(rule: Rule, facts: dict[str, bool]) -> bool:
    match rule:
        case Leaf(_, fact):
            return facts[fact]
        case AllOf(children):
            return all(two_valued(child, facts) for child in children)
        case AnyOf(children):
            return any(two_valued(child, facts) for child in children)
        case Not(inner):
            return not two_valued(inner, facts)
        case When(condition, then):
            return not two_valued(condition, facts) or two_valued(then, facts)
    raise AssertionError(rule)


@given(rules(), st.dictionaries(st.sampled_from(FACTS), st.booleans()))
def test_a_definite_verdict_on_partial_facts_holds_for_every_completion(rule, known):
    verdict = evaluate(rule, known).verdict
    unknown = [fact for fact in FACTS if fact not in known]
    outcomes = {
        two_valued(rule, {**known, **dict(zip(unknown, values, strict=True))})
        for values in product((False, True), repeat=len(unknown))
    }
    if verdict is Verdict.ELIGIBLE:
        assert outcomes == {True}
    elif verdict is Verdict.NOT_ELIGIBLE:
        assert outcomes == {False}
    else:
        assert evaluate(rule, known).missing_facts


@given(rules(), st.fixed_dictionaries({fact: st.booleans() for fact in FACTS}))
def test_with_every_fact_known_the_verdict_matches_two_valued_logic(rule, facts):
    expected = Verdict.ELIGIBLE if two_valued(rule, facts) else Verdict.NOT_ELIGIBLE
    assert evaluate(rule, facts).verdict is expected
