"""Invariants every catalog entry keeps: sources, dates, rules over the vocabulary, sound roadmaps, fees."""

import re
from collections import Counter
from datetime import date

import pytest

from domain.programs.catalog import CATALOG, COUNTRIES, COUNTRY_BY_CODE, PROGRAM_BY_SLUG, programs_in
from domain.programs.model import Category, DocumentWho, Program, Status
from domain.programs.rules import Leaf, Operator, iter_leaves, referenced_facts
from domain.programs.vocabulary import VOCABULARY, FactKind

COMPILED_ON = date(2026, 11, 24)
REFERENCE_SLUGS = {
    "ca-express-entry-fsw",
    "ca-express-entry-cec",
    "ca-express-entry-fst",
    "ca-pnp-express-entry",
    "au-skilled-independent-189",
    "au-skilled-nominated-190",
    "au-skilled-work-regional-491",
    "au-skills-in-demand-482",
    "au-employer-nomination-186",
    "de-opportunity-card",
    "de-eu-blue-card",
    "gb-skilled-worker",
    "gb-global-talent",
    "nz-skilled-migrant-category",
    "us-h1b",
    "us-eb2-niw",
    "us-o1",
    "nl-highly-skilled-migrant",
    "ie-critical-skills-employment-permit",
    "pt-d7-passive-income",
    "pt-d8-remote-work",
    "es-digital-nomad",
    "fr-talent-qualified-employee",
    "fr-talent-eu-blue-card",
}
ISO_4217 = re.compile(r"^[A-Z]{3}$")
NUMERIC = {FactKind.INTEGER, FactKind.NUMBER}
PARTNER_FACTS = {"has_partner", "partner_accompanying"}

by_slug = pytest.mark.parametrize("program", CATALOG, ids=lambda p: p.slug)


def rules_of(program: Program):
    yield program.eligibility
    for document in program.documents:
        if document.condition is not None:
            yield document.condition


def test_catalog_has_at_least_40_programs_in_at_least_12_countries():
    assert len(CATALOG) >= 40
    assert len({program.country for program in CATALOG}) >= 12


def test_every_program_country_is_a_catalog_country_and_every_country_has_programs():
    assert {program.country for program in CATALOG} == {country.code for country in COUNTRIES}
    assert len(COUNTRY_BY_CODE) == len(COUNTRIES)
    assert all(programs_in(country.code) for country in COUNTRIES)


def test_slugs_are_unique():
    duplicates = [slug for slug, n in Counter(p.slug for p in CATALOG).items() if n > 1]
    assert duplicates == []
    assert len(PROGRAM_BY_SLUG) == len(CATALOG)


def test_every_reference_program_is_in_the_catalog():
    assert set(PROGRAM_BY_SLUG) >= REFERENCE_SLUGS


def test_every_category_is_covered_by_an_active_program():
    active = {program.category for program in CATALOG if program.status is Status.ACTIVE}
    assert active == set(Category)


def test_countries_carry_iso_codes_a_currency_and_a_flag():
    for country in COUNTRIES:
        assert re.fullmatch(r"[A-Z]{2}", country.code)
        assert ISO_4217.match(country.currency)
        assert country.flag and country.region and country.name


@by_slug
def test_program_has_an_official_https_source_and_an_as_of_date_not_after_compilation(program):
    assert program.sources
    assert all(source.url.startswith("https://") and source.title for source in program.sources)
    assert isinstance(program.as_of, date)
    assert program.as_of <= COMPILED_ON


@by_slug
def test_programs_outside_the_reference_say_their_values_need_verification(program):
    if program.slug not in REFERENCE_SLUGS:
        assert program.verification_note


@by_slug
def test_every_rule_fact_is_in_the_vocabulary(program):
    for rule in rules_of(program):
        assert referenced_facts(rule) <= set(VOCABULARY), program.slug


@by_slug
def test_rule_values_fit_the_kind_of_their_fact(program):
    for rule in rules_of(program):
        for node in iter_leaves(rule):
            fact = VOCABULARY[node.fact]
            assert_fits(node, fact.kind, fact.choices)


def assert_fits(node: Leaf, kind: FactKind, choices: tuple[str, ...]) -> None:
    if node.op in (Operator.IS_TRUE, Operator.IS_FALSE):
        assert kind is FactKind.BOOLEAN, node.rule_id
    elif node.op in (Operator.GTE, Operator.GT, Operator.LTE, Operator.LT):
        assert kind in NUMERIC, node.rule_id
    else:
        values = tuple(node.value) if isinstance(node.value, tuple | frozenset) else (node.value,)
        for value in values:
            if kind is FactKind.CHOICE:
                assert value in choices, node.rule_id
            elif kind is FactKind.COUNTRY:
                assert isinstance(value, str) and re.fullmatch(r"[A-Z]{2}", value), node.rule_id
            else:
                assert kind in NUMERIC and isinstance(value, int), node.rule_id


@by_slug
def test_a_rule_id_names_one_requirement_within_a_program(program):
    seen: dict[str, Leaf] = {}
    for rule in rules_of(program):
        for node in iter_leaves(rule):
            assert seen.setdefault(node.rule_id, node) == node, node.rule_id


@by_slug
def test_a_pass_mark_is_checked_by_a_points_score_rule(program):
    points_rules = [n for n in iter_leaves(program.eligibility) if n.fact == "points_score"]
    if program.pass_mark is None:
        assert points_rules == []
    else:
        assert [(n.op, n.value) for n in points_rules] == [(Operator.GTE, program.pass_mark)]
        assert program.points_system is not None or program.verification_note


@by_slug
def test_steps_depend_only_on_existing_steps_and_form_no_cycle(program):
    steps = {step.key: step for step in program.steps}
    assert steps, "a roadmap needs steps"
    for step in program.steps:
        assert set(step.depends_on) <= set(steps), step.key
        assert step.key not in step.depends_on
    done: set[str] = set()
    pending = dict(steps)
    while pending:
        ready = [key for key, step in pending.items() if set(step.depends_on) <= done]
        assert ready, f"cycle among {sorted(pending)}"
        for key in ready:
            done.add(key)
            del pending[key]


@by_slug
def test_step_durations_are_ordered(program):
    for step in program.steps:
        assert 0 <= step.min_days <= step.typical_days <= step.max_days


@by_slug
def test_fees_are_in_the_country_currency_as_iso_4217(program):
    currency = COUNTRY_BY_CODE[program.country].currency
    for fee in program.fees:
        assert ISO_4217.match(fee.currency)
        assert fee.currency == currency
        assert fee.amount > 0


@by_slug
def test_partner_documents_and_per_country_documents_carry_a_condition(program):
    for document in program.documents:
        if document.who is DocumentWho.PARTNER:
            assert document.condition is not None, document.key
            assert referenced_facts(document.condition) & PARTNER_FACTS, document.key
        if document.who is DocumentWho.EACH_COUNTRY_LIVED_IN:
            assert document.condition is not None, document.key


@by_slug
def test_processing_times_and_cutoffs_are_well_formed(program):
    if program.processing is not None:
        assert 0 <= program.processing.min_days <= program.processing.max_days
        assert program.processing.note
    if program.latest_cutoff is not None:
        assert program.points_system is not None
        assert program.latest_cutoff.on <= COMPILED_ON
        assert program.latest_cutoff.source.url.startswith("https://")


def test_every_vocabulary_fact_is_read_by_some_rule_or_feeds_a_rank():
    used = set().union(*(referenced_facts(rule) for program in CATALOG for rule in rules_of(program)))
    label_facts = {"education_level", "english_cefr", "german_cefr"}
    assert set(VOCABULARY) - used == label_facts


def test_the_start_up_visa_is_listed_as_closed():
    assert PROGRAM_BY_SLUG["ca-start-up-visa"].status is Status.CLOSED
