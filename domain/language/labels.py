"""Test names as people know them, for explanations."""

from __future__ import annotations

from domain.language.model import LanguageTest

TEST_LABELS: dict[LanguageTest, str] = {
    LanguageTest.IELTS_GT: "IELTS General Training",
    LanguageTest.IELTS_ACADEMIC: "IELTS Academic",
    LanguageTest.CELPIP_G: "CELPIP-General",
    LanguageTest.PTE_CORE: "PTE Core",
    LanguageTest.PTE_ACADEMIC: "PTE Academic",
    LanguageTest.TOEFL_IBT: "TOEFL iBT",
    LanguageTest.TEF_CANADA: "TEF Canada",
    LanguageTest.TCF_CANADA: "TCF Canada",
    LanguageTest.GOETHE: "Goethe-Zertifikat",
    LanguageTest.TELC: "telc",
    LanguageTest.OSD: "ÖSD",
    LanguageTest.TESTDAF: "TestDaF",
    LanguageTest.ECL: "ECL",
    LanguageTest.CAMBRIDGE_ENGLISH: "Cambridge English",
    LanguageTest.OTHER_CEFR: "CEFR certificate",
}
