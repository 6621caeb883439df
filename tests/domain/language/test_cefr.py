from domain.language import cefr_levels, lowest_cefr_level
from domain.language.model import CefrLevel, Language, LanguageTest, LanguageTestResult
from tests.builders.profiles import cefr, ielts


def test_cefr_certificate_gives_its_level_for_every_ability() -> None:
    levels = cefr_levels(cefr(CefrLevel.B1, Language.GERMAN, LanguageTest.GOETHE))
    assert levels is not None
    assert levels.values() == (CefrLevel.B1,) * 4


def test_numeric_result_without_a_stated_cefr_level_has_no_cefr_level() -> None:
    assert cefr_levels(ielts(8, 8, 8, 8)) is None
    assert lowest_cefr_level(ielts(8, 8, 8, 8)) is None


def test_numeric_result_with_a_stated_cefr_level_uses_it() -> None:
    result = LanguageTestResult(LanguageTest.TOEFL_IBT, 25, 25, 25, 25, cefr_level=CefrLevel.B2)
    assert lowest_cefr_level(result) is CefrLevel.B2


def test_telc_needs_its_language_but_goethe_is_german() -> None:
    assert cefr(CefrLevel.A1, Language.ENGLISH, LanguageTest.TELC).test_language is Language.ENGLISH
    assert LanguageTestResult(LanguageTest.GOETHE, cefr_level=CefrLevel.A1).test_language is Language.GERMAN
