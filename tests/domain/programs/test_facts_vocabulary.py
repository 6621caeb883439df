"""The facts vocabulary: ordered ladders, derived facts, and the checks a profile mapping relies on."""

from decimal import Decimal

from domain.programs.vocabulary import (
    CEFR_LEVELS,
    CEFR_RANK,
    EDUCATION_LEVELS,
    EDUCATION_RANK,
    VOCABULARY,
    FactKind,
    derive_facts,
    fact_problems,
)


def test_education_ladder_is_ordered_none_to_doctoral_with_ranks_0_to_7():
    assert EDUCATION_LEVELS == (
        "none",
        "secondary",
        "one_year",
        "two_year",
        "bachelor",
        "two_or_more",
        "master",
        "doctoral",
    )
    assert [EDUCATION_RANK[level] for level in EDUCATION_LEVELS] == list(range(8))


def test_cefr_ranks_put_none_at_0_and_c2_at_6():
    assert CEFR_LEVELS[0] == "none"
    assert CEFR_RANK["A1"] == 1
    assert CEFR_RANK["B2"] == 4
    assert CEFR_RANK["C2"] == 6


def test_every_fact_is_documented_and_choice_facts_list_their_choices():
    for name, fact in VOCABULARY.items():
        assert fact.name == name
        assert fact.meaning.strip()
        assert bool(fact.choices) is (fact.kind is FactKind.CHOICE), name


def test_rank_facts_exist_beside_their_label_facts():
    for label, rank in (
        ("education_level", "education_rank"),
        ("english_cefr", "english_cefr_rank"),
        ("german_cefr", "german_cefr_rank"),
    ):
        assert VOCABULARY[label].kind is FactKind.CHOICE
        assert VOCABULARY[rank].kind is FactKind.INTEGER


def test_derive_facts_adds_ranks_and_the_clb_minimum():
    derived = derive_facts(
        {
            "education_level": "master",
            "english_cefr": "B2",
            "german_cefr": "A1",
            "first_language_clb_listening": 9,
            "first_language_clb_reading": 8,
            "first_language_clb_writing": 6,
            "first_language_clb_speaking": 7,
        }
    )
    assert derived["education_rank"] == 6
    assert derived["english_cefr_rank"] == 4
    assert derived["german_cefr_rank"] == 1
    assert derived["first_language_clb_min"] == 6


def test_derive_facts_keeps_values_given_explicitly_and_leaves_unknowns_out():
    derived = derive_facts({"education_level": "bachelor", "education_rank": 5, "first_language_clb_reading": 8})
    assert derived["education_rank"] == 5
    assert "first_language_clb_min" not in derived


def test_fact_problems_flag_unknown_names_and_wrong_kinds():
    problems = fact_problems(
        {
            "age": 30,
            "job_offer": True,
            "job_offer_salary": Decimal("50000.00"),
            "citizenship": "IN",
            "education_level": "master",
            "favourite_colour": "blue",
            "has_partner": "yes",
            "dependent_children": True,
            "de_qualification_recognition": "maybe",
            "funds_available": None,
        }
    )
    assert problems == (
        "favourite_colour: not in the facts vocabulary",
        "has_partner: 'yes' is not a valid boolean",
        "dependent_children: True is not a valid integer",
        "de_qualification_recognition: 'maybe' is not a valid choice",
    )


def test_a_country_fact_must_be_an_upper_case_alpha_2_code():
    assert fact_problems({"citizenship": "in"}) == ("citizenship: 'in' is not a valid country",)
    assert fact_problems({"citizenship": "IND"}) == ("citizenship: 'IND' is not a valid country",)
