"""IELTS overall band: the mean of the four bands rounded to the nearest half band (.25 and .75 round up).

Source: https://ielts.org/take-a-test/your-results/ielts-scoring-in-detail — the rounding rule IELTS prints
on every Test Report Form; NZ SMC states its English requirement as an overall band.
"""

from __future__ import annotations

import math

from domain.language.model import LanguageTest, LanguageTestResult

IELTS_TESTS = frozenset({LanguageTest.IELTS_GT, LanguageTest.IELTS_ACADEMIC})


def ielts_overall_band(listening: float, reading: float, writing: float, speaking: float) -> float:
    mean = (listening + reading + writing + speaking) / 4
    return math.floor(mean * 2 + 0.5) / 2


def ielts_overall(result: LanguageTestResult) -> float | None:
    """The printed overall band, else the one the four bands give; None for other tests or gaps."""
    if result.test not in IELTS_TESTS:
        return None
    if result.overall is not None:
        return result.overall
    bands = (result.listening, result.reading, result.writing, result.speaking)
    if any(band is None for band in bands):
        return None
    listening, reading, writing, speaking = (float(band or 0) for band in bands)
    return ielts_overall_band(listening, reading, writing, speaking)
