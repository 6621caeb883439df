"""Which results Express Entry converts, per ability, and which it refuses (as of 2024-01-30):
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/documents/language-test.html
"""

from datetime import date

import pytest

from domain.language import clb_levels
from domain.language.model import LanguageTest, LanguageTestResult
from tests.builders.profiles import RECENT, ielts, scores


@pytest.mark.parametrize(
    ("test", "score"),
    [
        (LanguageTest.IELTS_ACADEMIC, 8),
        (LanguageTest.PTE_ACADEMIC, 80),
        (LanguageTest.TOEFL_IBT, 28),
        (LanguageTest.GOETHE, None),
    ],
)
def test_tests_not_accepted_for_express_entry_have_no_clb(test: LanguageTest, score: float | None) -> None:
    assert clb_levels(LanguageTestResult(test, score, score, score, score), test_date=RECENT) is None


def test_each_ability_is_converted_on_its_own() -> None:
    levels = clb_levels(ielts(8.5, 6.0, 7.0, 5.5), test_date=RECENT)
    assert levels is not None
    assert levels.values() == (10, 7, 9, 6)


def test_an_unanswered_ability_stays_unknown() -> None:
    levels = clb_levels(LanguageTestResult(LanguageTest.PTE_CORE, 89, None, 90, 89), test_date=RECENT)
    assert levels is not None
    assert levels.values() == (10, None, 10, 10)


def test_tef_result_uses_the_table_of_its_test_date() -> None:
    result = scores(LanguageTest.TEF_CANADA, 546, 546, 520, 556)
    old = clb_levels(result, test_date=date(2023, 12, 10))
    new = clb_levels(result, test_date=date(2023, 12, 11))
    assert old is not None and new is not None
    assert old.values() == (9, 9, 8, 9)
    assert new.values() == (10, 10, 9, 10)


def test_tef_sitting_before_2019_10_01_is_not_converted() -> None:
    assert clb_levels(scores(LanguageTest.TEF_CANADA, 600, 600, 600, 600), test_date=date(2019, 9, 1)) is None


def test_scores_outside_the_test_scale_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        ielts(9.5, 7, 7, 7)
    with pytest.raises(ValueError, match="outside"):
        LanguageTestResult(LanguageTest.TCF_CANADA, 500, 500, 21, 10)
