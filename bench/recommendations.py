"""Times recommendations for one profile over the real catalog and synthetic catalogs of 1,000 and 10,000.

Pure domain, no services: `.venv/bin/python bench/recommendations.py`. Synthetic programs are copies of the
real ones made through the storage codec (so each has its own rule tree, as programs read from Mongo do),
spread over the real countries. A 10k/1k ratio near 10 means ranking grows linearly.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.assessment.profile_builder import build_profile, build_supplement
from domain.assessment.spec import JsonValue
from domain.programs.catalog import CATALOG, COUNTRY_BY_CODE
from domain.programs.codec import program_from_data, program_to_data
from domain.programs.model import Program
from domain.recommendations.gaps import gap_report
from domain.recommendations.ranking import rank_programs

ON = date(2026, 11, 25)
REPEATS = 5

ANSWERS: dict[str, JsonValue] = {
    "destinations": ["anywhere"],
    "birth_date": "1994-03-02",
    "citizenships": ["IN"],
    "marital_status": "married",
    "dependent_children": 1,
    "partner_accompanying": True,
    "partner_citizen_or_pr_of": [],
    "partner_birth_date": "1995-01-01",
    "partner_education": [{"level": "bachelor", "country": "IN", "eca": True}],
    "partner_language_test": "none",
    "partner_work_history": [],
    "education": [
        {"level": "master", "country": "IN", "eca": True, "au_recognition": "bachelor", "completed_on": "2019-06-01"}
    ],
    "language_test": "ielts_gt",
    "language_scores": {"listening": 8, "reading": 7, "writing": 7, "speaking": 7, "test_date": "2026-05-01"},
    "second_language_test": "none",
    "work_history": [
        {
            "country": "IN",
            "start": "2019-07-01",
            "hours_per_week": 40,
            "teer": "1",
            "paid": True,
            "self_employed": False,
            "authorised": True,
        }
    ],
    "has_job_offer": False,
    "nominations": [],
    "relatives": [],
    "funds": {"amount": 30000, "currency": "CAD"},
    "works_remotely": False,
    "passive_income_monthly_eur": 0,
    "ca_authorised_to_work": False,
    "ca_certificate_of_qualification": False,
    "au_skills_assessment": True,
    "au_professional_year": False,
    "au_naati_ccl": False,
    "de_recognition": "none",
    "de_shortage_occupation": False,
    "de_stays": [],
    "de_english_native": False,
}


def synthetic_catalog(size: int) -> list[Program]:
    programs = []
    for i in range(size):
        template = CATALOG[i % len(CATALOG)]
        data = program_to_data(replace(template, slug=f"{template.slug}-syn-{i}", name=f"{template.name} #{i}"))
        programs.append(program_from_data(data))
    return programs


def time_ranking(programs: Sequence[Program]) -> float:
    profile, supplement = build_profile(ANSWERS, ON), build_supplement(ANSWERS)
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        ranked = rank_programs(profile, supplement, programs, COUNTRY_BY_CODE, ON)
        timings.append(time.perf_counter() - started)
    assert ranked, "nothing ranked"
    return statistics.median(timings)


def time_gaps(programs: Sequence[Program], count: int = 3) -> float:
    profile, supplement = build_profile(ANSWERS, ON), build_supplement(ANSWERS)
    ranked = rank_programs(profile, supplement, programs, COUNTRY_BY_CODE, ON)
    started = time.perf_counter()
    for recommendation in ranked[:count]:
        program = recommendation.program
        gap_report(profile, supplement, program, COUNTRY_BY_CODE[program.country], ON)
    return time.perf_counter() - started


def main() -> None:
    catalogs = {"real": list(CATALOG), "1k": synthetic_catalog(1_000), "10k": synthetic_catalog(10_000)}
    results = {}
    print(f"ranking one profile (median of {REPEATS} runs)")
    for name, programs in catalogs.items():
        seconds = time_ranking(programs)
        results[name] = seconds
        print(
            f"  {name:>4}: {len(programs):>6} programs  {seconds * 1000:9.1f} ms  "
            f"{seconds / len(programs) * 1e6:7.1f} µs/program"
        )
    print(f"  10k/1k ratio: {results['10k'] / results['1k']:.2f} (10 = linear)")
    print(f"gap analysis of the top 3 real programs: {time_gaps(CATALOG) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
