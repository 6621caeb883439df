"""The language-test vocabulary: languages, the tests, the abilities they score, CEFR levels, and one sitting's
result, with the tables that say which language a test is in and what score range each ability takes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum


class Language(StrEnum):
    ENGLISH = "english"
    FRENCH = "french"
    GERMAN = "german"


class LanguageTest(StrEnum):
    IELTS_GT = "ielts_gt"
    IELTS_ACADEMIC = "ielts_academic"
    CELPIP_G = "celpip_g"
    PTE_CORE = "pte_core"
    PTE_ACADEMIC = "pte_academic"
    TOEFL_IBT = "toefl_ibt"
    TEF_CANADA = "tef_canada"
    TCF_CANADA = "tcf_canada"
    GOETHE = "goethe"
    TELC = "telc"
    OSD = "osd"
    TESTDAF = "testdaf"
    ECL = "ecl"
    CAMBRIDGE_ENGLISH = "cambridge_english"
    OTHER_CEFR = "other_cefr"  # any other ALTE-member certificate that states a CEFR level


TEST_LANGUAGE: dict[LanguageTest, Language] = {
    LanguageTest.IELTS_GT: Language.ENGLISH,
    LanguageTest.IELTS_ACADEMIC: Language.ENGLISH,
    LanguageTest.CELPIP_G: Language.ENGLISH,
    LanguageTest.PTE_CORE: Language.ENGLISH,
    LanguageTest.PTE_ACADEMIC: Language.ENGLISH,
    LanguageTest.TOEFL_IBT: Language.ENGLISH,
    LanguageTest.CAMBRIDGE_ENGLISH: Language.ENGLISH,
    LanguageTest.TEF_CANADA: Language.FRENCH,
    LanguageTest.TCF_CANADA: Language.FRENCH,
    LanguageTest.GOETHE: Language.GERMAN,
    LanguageTest.OSD: Language.GERMAN,
    LanguageTest.TESTDAF: Language.GERMAN,
}
"""Tests that exist in one language only; telc, ECL and other CEFR certificates need `language`."""

CEFR_CERTIFICATES = frozenset(
    {
        LanguageTest.GOETHE,
        LanguageTest.TELC,
        LanguageTest.OSD,
        LanguageTest.TESTDAF,
        LanguageTest.ECL,
        LanguageTest.CAMBRIDGE_ENGLISH,
        LanguageTest.OTHER_CEFR,
    }
)

SCORE_RANGES: dict[LanguageTest, tuple[tuple[float, float], tuple[float, float]]] = {
    # (listening/reading range, writing/speaking range)
    LanguageTest.IELTS_GT: ((0, 9), (0, 9)),
    LanguageTest.IELTS_ACADEMIC: ((0, 9), (0, 9)),
    LanguageTest.CELPIP_G: ((0, 12), (0, 12)),  # 0 stands for "M"
    LanguageTest.PTE_CORE: ((10, 90), (10, 90)),
    LanguageTest.PTE_ACADEMIC: ((10, 90), (10, 90)),
    LanguageTest.TOEFL_IBT: ((0, 30), (0, 30)),
    LanguageTest.TEF_CANADA: ((0, 699), (0, 699)),
    LanguageTest.TCF_CANADA: ((0, 699), (0, 20)),
}


class Ability(StrEnum):
    LISTENING = "listening"
    READING = "reading"
    WRITING = "writing"
    SPEAKING = "speaking"


ABILITIES: tuple[Ability, ...] = (Ability.LISTENING, Ability.READING, Ability.WRITING, Ability.SPEAKING)


class CefrLevel(IntEnum):
    A1 = 1
    A2 = 2
    B1 = 3
    B2 = 4
    C1 = 5
    C2 = 6


@dataclass(frozen=True, slots=True)
class LanguageTestResult:
    """One test sitting: a score per ability, or the CEFR level a certificate states."""

    test: LanguageTest
    listening: float | None = None
    reading: float | None = None
    writing: float | None = None
    speaking: float | None = None
    test_date: date | None = None
    cefr_level: CefrLevel | None = None  # as printed on a CEFR certificate or SELT report
    language: Language | None = None  # needed only for tests offered in several languages
    overall: float | None = None  # as printed; NZ SMC uses the IELTS overall band

    def __post_init__(self) -> None:
        ranges = SCORE_RANGES.get(self.test)
        if ranges is None:
            return
        for ability in ABILITIES:
            value = self.score(ability)
            low, high = ranges[0] if ability in (Ability.LISTENING, Ability.READING) else ranges[1]
            if value is not None and not low <= value <= high:
                raise ValueError(f"{self.test.value} {ability.value} score {value} is outside {low}–{high}")

    def score(self, ability: Ability) -> float | None:
        return {
            Ability.LISTENING: self.listening,
            Ability.READING: self.reading,
            Ability.WRITING: self.writing,
            Ability.SPEAKING: self.speaking,
        }[ability]

    @property
    def test_language(self) -> Language | None:
        return TEST_LANGUAGE.get(self.test, self.language)
