"""Gap analysis: the smallest concrete changes that improve a program's outcome, each with its exact effect.

Every effect is measured, never assumed: the change is applied to the profile and the program's rules and
calculator run again. Suggestions that change nothing are left out; the rest are ordered by effect
(a better verdict first, then more points, then fewer failed rules).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from domain.assessment.records import CREDENTIAL_LABELS, TEST_NAMES
from domain.assessment.snapshot import Supplement
from domain.language.model import ABILITIES, Ability, CefrLevel, Language, LanguageTest, LanguageTestResult
from domain.points import score
from domain.points.australia import likely_recognition
from domain.points.labels import EDUCATION_LABELS, SYSTEM_LABELS
from domain.points.periods import add_months, add_years
from domain.profile import (
    AuRecognition,
    Credential,
    EducationLevel,
    GermanRecognition,
    JobOffer,
    Lmia,
    Money,
    Nomination,
    NominationKind,
    Profile,
    WorkEntry,
)
from domain.programs.model import Country, PointsSystem, Program
from domain.programs.rules import Leaf, Operator, Verdict, iter_leaves
from domain.recommendations.eligibility import VERDICT_RANK, ProgramAssessment, assess_program
from domain.recommendations.fact_values import FactValuesBuilder
from domain.recommendations.language_steps import Step, all_steps, next_cefr, weakest_step

PARTNER_IELTS_BAND = 6.0
"""The partner test suggested: IELTS General Training 6.0 in each ability (CLB 7, AU Competent)."""
FRENCH_NCLC7_TCF = (458.0, 453.0, 10.0, 10.0)
"""TCF Canada scores that give NCLC 7 in each ability (IRCC's table, as in `domain.language.nclc`)."""
NEXT_EDUCATION = {
    EducationLevel.SECONDARY: EducationLevel.ONE_YEAR,
    EducationLevel.ONE_YEAR: EducationLevel.TWO_YEAR,
    EducationLevel.TWO_YEAR: EducationLevel.BACHELOR,
    EducationLevel.BACHELOR: EducationLevel.MASTER,
    EducationLevel.TWO_OR_MORE: EducationLevel.MASTER,
    EducationLevel.MASTER: EducationLevel.DOCTORAL,
}


@dataclass(frozen=True, slots=True)
class Change:
    """One concrete change to a profile; `apply` works on any profile, so its effect can be re-checked."""

    key: str
    category: str
    description: str
    apply: Callable[[Profile], Profile]


RANKED_BY: dict[PointsSystem, PointsSystem] = {PointsSystem.FSW67: PointsSystem.CRS}
"""A pass/fail grid whose eligible candidates are then ranked on another scale: FSW's 67-point grid only opens
the Express Entry pool, where invitations go by CRS (https://www.canada.ca/en/immigration-refugees-citizenship/
services/immigrate-canada/express-entry/eligibility/federal-skilled-workers.html, as of 2025-03-25)."""
RANKING_SYSTEMS = frozenset(
    {PointsSystem.CRS, PointsSystem.AU_SKILLED_189, PointsSystem.AU_SKILLED_190, PointsSystem.AU_SKILLED_491}
)
"""Scales on which points above the bar still improve the chances (invitations go to the highest scores);
on the others only reaching the pass mark counts."""


NO_CUTOFF = "no cut-off on record for its rounds"


@dataclass(frozen=True, slots=True)
class Target:
    """The number a program's suggestions are measured in, and the bar it is compared with."""

    system: PointsSystem
    bar: int | None
    bar_text: str  # "cut-off 508 on 2026-02-17 (…)", "pass mark 67", NO_CUTOFF, or "" when there is no bar
    ranking: bool  # points above the bar still count


def target_for(program: Program, before: ProgramAssessment) -> Target | None:
    """The competitiveness score: for a grid that only gates a ranking (FSW), once its minimum requirements
    are met, the ranking score (CRS) against the program's latest cut-off; else the program's own points."""
    if program.points_system is None:
        return None
    ranked_by = RANKED_BY.get(program.points_system)
    if ranked_by is not None and before.evaluation.verdict is Verdict.ELIGIBLE:
        system = ranked_by
    else:
        system = program.points_system
    cutoff = program.latest_cutoff if system is (ranked_by or program.points_system) else None
    if cutoff is not None:
        return Target(
            system, cutoff.score, f"cut-off {cutoff.score} on {cutoff.on.isoformat()}", system in RANKING_SYSTEMS
        )
    if system is program.points_system and program.pass_mark is not None:
        return Target(system, program.pass_mark, f"pass mark {program.pass_mark}", system in RANKING_SYSTEMS)
    if system in RANKING_SYSTEMS:
        # Said, not left blank, so a ranking score without a bar is not read as enough (FSW, FST: no official
        # cut-off of a round open to them was found on 2026-12-06).
        return Target(system, None, NO_CUTOFF, True)
    return Target(system, None, "", False)


@dataclass(frozen=True, slots=True)
class GapSuggestion:
    change: Change
    verdict_before: Verdict
    verdict_after: Verdict
    points_before: int | None  # on `system`
    points_after: int | None
    failed_before: int
    failed_after: int
    system: PointsSystem | None = None
    bar: int | None = None
    bar_text: str = ""

    @property
    def points_delta(self) -> int | None:
        if self.points_before is None or self.points_after is None:
            return None
        return self.points_after - self.points_before

    @property
    def effect(self) -> str:
        """The numbers the change moves: "CRS +50 (458 → 508), cut-off 481 on 2026-02-17"."""
        parts = []
        if self.verdict_after is not self.verdict_before:
            parts.append(f"{_verdict_text(self.verdict_before)} → {_verdict_text(self.verdict_after)}")
        delta = self.points_delta
        if delta and self.system is not None:
            label = SYSTEM_LABELS[self.system.value]
            bar = f", {self.bar_text}" if self.bar_text else ""
            parts.append(f"{label} {delta:+d} ({self.points_before} → {self.points_after}){bar}")
        if self.failed_after < self.failed_before:
            parts.append(f"{self.failed_before - self.failed_after} fewer unmet requirement(s)")
        return "; ".join(parts)

    @property
    def counted_gain(self) -> int:
        """Points that matter: all of them on a ranking scale, else only those that close the gap to the bar."""
        delta = self.points_delta or 0
        if self.system is None or self.system in RANKING_SYSTEMS:
            return delta
        if self.bar is None or self.points_before is None or self.points_after is None:
            return 0
        return min(self.points_after, self.bar) - min(self.points_before, self.bar)

    def order(self) -> tuple[int, int, int, str]:
        verdict_gain = VERDICT_RANK[self.verdict_after] - VERDICT_RANK[self.verdict_before]
        return (-verdict_gain, -self.counted_gain, -(self.failed_before - self.failed_after), self.change.key)


@dataclass(frozen=True, slots=True)
class GapReport:
    assessment: ProgramAssessment
    suggestions: tuple[GapSuggestion, ...]
    target: Target | None = None


def _verdict_text(verdict: Verdict) -> str:
    return verdict.value.replace("_", " ")


def gap_report(profile: Profile, supplement: Supplement, program: Program, country: Country, on: date) -> GapReport:
    before = assess_program(FactValuesBuilder(profile, supplement, on), program, country)
    target = target_for(program, before)
    suggestions = []
    for change in candidate_changes(profile, before, on):
        changed = change.apply(profile)
        after = assess_program(FactValuesBuilder(changed, supplement, on), program, country)
        suggestion = _compare(
            change,
            before,
            after,
            target,
            _points_on(target, before, profile, on),
            _points_on(target, after, changed, on),
        )
        if suggestion is not None:
            suggestions.append(suggestion)
    return GapReport(before, tuple(sorted(suggestions, key=GapSuggestion.order)), target)


def _points_on(target: Target | None, assessment: ProgramAssessment, profile: Profile, on: date) -> int | None:
    if target is None:
        return None
    points = assessment.points
    if points is not None and points.system == target.system.value:
        return points.total
    return score(target.system, profile, on).total


def _new_unknowns(before: ProgramAssessment, after: ProgramAssessment) -> bool:
    return bool(set(after.evaluation.missing_facts) - set(before.evaluation.missing_facts))


def _compare(
    change: Change,
    before: ProgramAssessment,
    after: ProgramAssessment,
    target: Target | None,
    points_before: int | None,
    points_after: int | None,
) -> GapSuggestion | None:
    """Kept only when the change improves the verdict, the competitiveness score or a stated margin; a verdict
    that improves only because the change leaves a new fact unanswered does not count."""
    verdict_after = after.evaluation.verdict
    if verdict_after is Verdict.POSSIBLY_ELIGIBLE and _new_unknowns(before, after):
        verdict_after = min(verdict_after, before.evaluation.verdict, key=VERDICT_RANK.__getitem__)
    suggestion = GapSuggestion(
        change=change,
        verdict_before=before.evaluation.verdict,
        verdict_after=verdict_after,
        points_before=points_before,
        points_after=points_after,
        failed_before=before.unmet,
        failed_after=after.unmet,
        system=None if target is None else target.system,
        bar=None if target is None else target.bar,
        bar_text="" if target is None else target.bar_text,
    )
    verdict_gain = VERDICT_RANK[suggestion.verdict_after] - VERDICT_RANK[suggestion.verdict_before]
    fewer_failed = suggestion.failed_before - suggestion.failed_after
    if verdict_gain < 0 or (suggestion.points_delta or 0) < 0:
        return None
    if verdict_gain == 0 and suggestion.counted_gain <= 0 and fewer_failed <= 0:
        return None
    return suggestion


# --- candidate changes ----------------------------------------------------------------------------------


def candidate_changes(profile: Profile, assessment: ProgramAssessment, on: date) -> list[Change]:
    program, country = assessment.program, assessment.country
    changes: list[Change] = []
    changes += _language_changes(profile, program.country, on)
    changes += _partner_changes(profile, program.country, on)
    changes += _second_language_changes(profile, program.country, on)
    changes += _work_changes(profile, program.country, country.name, on)
    changes += _nomination_changes(profile, program)
    changes += _job_offer_changes(profile, program.country, country.name)
    changes += _education_changes(profile, program.country)
    changes += _funds_changes(profile, assessment)
    changes += _country_specific_changes(profile, program.country, on)
    return changes


def _steps_text(label: str, steps: Sequence[Step]) -> str:
    moves = ", ".join(f"{s.ability.value} {s.score:g} → {s.next_score:g}" for s in steps)
    return f"Raise {label} results: {moves}"


def _bumped(result: LanguageTestResult, steps: Sequence[Step]) -> LanguageTestResult:
    scores = {a: result.score(a) for a in ABILITIES} | {s.ability: s.next_score for s in steps}
    return replace(
        result,
        listening=scores[Ability.LISTENING],
        reading=scores[Ability.READING],
        writing=scores[Ability.WRITING],
        speaking=scores[Ability.SPEAKING],
    )


def _set_test(index: int, new: LanguageTestResult, partner: bool) -> Callable[[Profile], Profile]:
    def apply(p: Profile) -> Profile:
        if partner:
            assert p.partner is not None
            tests = list(p.partner.language_tests or ())
            tests[index] = new
            return replace(p, partner=replace(p.partner, language_tests=tuple(tests)))
        tests = list(p.language_tests or ())
        tests[index] = new
        return replace(p, language_tests=tuple(tests))

    return apply


def _test_steps(
    tests: Sequence[LanguageTestResult], destination: str, on: date, *, partner: bool = False
) -> list[Change]:
    """For each result: the weakest ability one level up, and every ability one level up."""
    owner, prefix, category = ("your partner's", "partner.", "partner") if partner else ("your", "", "language")
    changes: list[Change] = []
    for index, result in enumerate(tests):
        label = f"{owner} {TEST_NAMES[result.test]}"
        level = next_cefr(result)
        if level is not None and result.cefr_level is not None:
            changes.append(
                Change(
                    f"{prefix}language.{index}.cefr",
                    category,
                    f"Raise {label} certificate from {result.cefr_level.name} to {level.name}",
                    _set_test(index, replace(result, cefr_level=level), partner),
                )
            )
            continue
        weakest = weakest_step(result, destination, on)
        if weakest is None:
            continue
        changes.append(
            Change(
                f"{prefix}language.{index}.weakest",
                category,
                _steps_text(label, [weakest]),
                _set_test(index, _bumped(result, [weakest]), partner),
            )
        )
        steps = all_steps(result, destination, on)
        if len(steps) > 1:
            changes.append(
                Change(
                    f"{prefix}language.{index}.all",
                    category,
                    _steps_text(label, steps),
                    _set_test(index, _bumped(result, steps), partner),
                )
            )
    return changes


def _language_changes(profile: Profile, destination: str, on: date) -> list[Change]:
    return _test_steps(profile.language_tests or (), destination, on)


def _partner_changes(profile: Profile, destination: str, on: date) -> list[Change]:
    partner = profile.partner
    if partner is None or profile.partner_comes_along is not True:
        return []
    if partner.language_tests:
        return _test_steps(partner.language_tests, destination, on, partner=True)
    band = PARTNER_IELTS_BAND
    test = LanguageTestResult(LanguageTest.IELTS_GT, band, band, band, band, test_date=on)

    def apply(p: Profile) -> Profile:
        assert p.partner is not None
        return replace(p, partner=replace(p.partner, language_tests=(*(p.partner.language_tests or ()), test)))

    return [
        Change(
            "partner.language_test",
            "partner",
            f"Your partner takes IELTS General Training and scores {band:g} in each ability",
            apply,
        )
    ]


def _add_test(test: LanguageTestResult) -> Callable[[Profile], Profile]:
    return lambda p: replace(p, language_tests=(*(p.language_tests or ()), test))


def _second_language_changes(profile: Profile, destination: str, on: date) -> list[Change]:
    languages = {t.test_language for t in profile.language_tests or ()}
    changes: list[Change] = []
    if destination == "CA" and Language.FRENCH not in languages:
        listening, reading, writing, speaking = FRENCH_NCLC7_TCF
        french = LanguageTestResult(LanguageTest.TCF_CANADA, listening, reading, writing, speaking, test_date=on)
        changes.append(
            Change(
                "french.nclc7",
                "french",
                "Take TCF Canada and reach NCLC 7 in every ability "
                f"(listening {listening:g}, reading {reading:g}, writing {writing:g}, "
                f"speaking {speaking:g})",
                _add_test(french),
            )
        )
    if destination == "DE" and Language.GERMAN not in languages:
        german = LanguageTestResult(LanguageTest.GOETHE, cefr_level=CefrLevel.A1, test_date=on)
        changes.append(Change("german.a1", "language", "Pass a Goethe-Zertifikat German exam at A1", _add_test(german)))
    return changes


def _work_changes(profile: Profile, destination: str, destination_name: str, on: date) -> list[Change]:
    changes: list[Change] = []
    entries = profile.work_history
    if entries:
        index = max(range(len(entries)), key=lambda i: (entries[i].end or date.max, entries[i].start))
        latest = entries[index]

        def extend(p: Profile) -> Profile:
            found = list(p.work_history or ())
            found[index] = replace(found[index], start=add_months(found[index].start, -12))
            return replace(p, work_history=tuple(found))

        changes.append(
            Change(
                "work.one_more_year",
                "experience",
                f"One more year of experience in your job in {latest.country} (starting {latest.start.isoformat()})",
                extend,
            )
        )
    if destination in ("CA", "AU", "NZ"):
        year = WorkEntry(
            destination,
            add_years(on, -1),
            on,
            40,
            teer=1,
            anzsco_skill_level=1,
            paid=True,
            self_employed=False,
            while_full_time_student=False,
            authorised=True,
            relevant=True,
            paid_at_required_rate=True,
        )
        changes.append(
            Change(
                f"work.year_in_{destination.lower()}",
                "experience",
                f"A year of full-time skilled, paid work in {destination_name}",
                lambda p: replace(p, work_history=(*(p.work_history or ()), year)),
            )
        )
    return changes


def _add_nomination(nomination: Nomination) -> Callable[[Profile], Profile]:
    return lambda p: replace(p, nominations=(*(p.nominations or ()), nomination))


def _nomination_changes(profile: Profile, program: Program) -> list[Change]:
    held = set(profile.nominations or ())
    wanted: list[tuple[str, Nomination, str]] = []
    if program.points_system is PointsSystem.CRS:
        wanted.append(
            (
                "nomination.provincial",
                Nomination("CA", NominationKind.PROVINCIAL_EXPRESS_ENTRY),
                "A provincial nomination in an Express Entry stream",
            )
        )
    for system, subclass in ((PointsSystem.AU_SKILLED_190, "190"), (PointsSystem.AU_SKILLED_491, "491")):
        if program.points_system is system:
            wanted.append(
                (
                    f"nomination.state_{subclass}",
                    Nomination("AU", NominationKind.STATE_OR_TERRITORY, subclass),
                    f"A state or territory nomination for subclass {subclass}",
                )
            )
    return [Change(key, "nomination", text, _add_nomination(n)) for key, n, text in wanted if n not in held]


def _job_offer_changes(profile: Profile, destination: str, destination_name: str) -> list[Change]:
    if profile.job_offer_in(destination) is not None:
        return []
    offer = JobOffer(
        destination,
        hours_per_week=40,
        full_time=True,
        non_seasonal=True,
        at_least_one_year=True,
        sponsor_licensed=True,
        lmia=Lmia.SUPPORTED if destination == "CA" else None,
        teer=1 if destination == "CA" else None,
    )
    text = f"A full-time job offer of a year or more in {destination_name} from a licensed/approved employer"
    return [Change("job_offer", "job_offer", text, lambda p: replace(p, job_offers=(*(p.job_offers or ()), offer)))]


def _education_changes(profile: Profile, destination: str) -> list[Change]:
    credentials = profile.education or ()
    changes: list[Change] = []
    unassessed = [i for i, c in enumerate(credentials) if not c.canadian and c.eca is not True]
    if destination == "CA" and unassessed:

        def assessed(p: Profile) -> Profile:
            found = [replace(c, eca=True) if not c.canadian else c for c in p.education or ()]
            return replace(p, education=tuple(found))

        changes.append(
            Change(
                "education.eca",
                "education",
                "Get an Educational Credential Assessment (ECA) of your foreign credentials",
                assessed,
            )
        )
    top = max(credentials, key=lambda c: c.level, default=None)
    next_level = NEXT_EDUCATION.get(top.level) if top is not None else EducationLevel.SECONDARY
    if next_level is not None:
        new = Credential(
            next_level,
            top.country if top else None,
            eca=True,
            full_time=True,
            duration_years=2.0,
            state_recognised=True,
            completed_on=None,
        )
        changes.append(
            Change(
                f"education.{next_level.name.lower()}",
                "education",
                f"Complete one more credential: {CREDENTIAL_LABELS[next_level].lower()}",
                lambda p: replace(p, education=(*(p.education or ()), new)),
            )
        )
    return changes


def _funds_changes(profile: Profile, assessment: ProgramAssessment) -> list[Change]:
    """The funds a failed or undecided rule asks for, read from the rule itself."""
    evaluation = assessment.evaluation
    named = {ref.rule_id for ref in (*evaluation.failed, *evaluation.undecided)}
    wanted = [
        leaf
        for leaf in iter_leaves(assessment.program.eligibility)
        if leaf.rule_id in named and leaf.fact == "funds_available" and leaf.op in (Operator.GTE, Operator.GT)
    ]
    if not wanted:
        return []
    leaf: Leaf = min(wanted, key=lambda w: float(str(w.value)))
    amount = float(str(leaf.value))
    currency = assessment.country.currency
    funds = Money(amount, currency)
    return [
        Change(
            "funds", "funds", f"Show {currency} {amount:,.0f} in settlement funds", lambda p: replace(p, funds=funds)
        )
    ]


def _country_specific_changes(profile: Profile, destination: str, on: date) -> list[Change]:
    changes: list[Change] = []
    if destination == "AU":
        facts = profile.australia
        if facts.naati_ccl is not True:
            changes.append(
                Change(
                    "au.naati_ccl",
                    "language",
                    "Pass a NAATI credentialled community language test",
                    lambda p: replace(p, australia=replace(p.australia, naati_ccl=True)),
                )
            )
        if facts.professional_year is not True:
            changes.append(
                Change(
                    "au.professional_year",
                    "education",
                    "Complete a Professional Year in Australia",
                    lambda p: replace(
                        p, australia=replace(p.australia, professional_year=True, professional_year_completed_on=on)
                    ),
                )
            )
        if facts.skills_assessment is not True:
            changes.append(
                Change(
                    "au.skills_assessment",
                    "education",
                    "Get a positive skills assessment for your occupation",
                    lambda p: replace(p, australia=replace(p.australia, skills_assessment=True)),
                )
            )
        changes += _au_recognition_changes(profile)
    if destination == "CA":
        changes += _first_language_changes(profile)
    if destination == "DE" and profile.germany.recognition in (None, GermanRecognition.NONE):
        changes.append(
            Change(
                "de.partial_recognition",
                "education",
                "Have your qualification assessed and partly recognised in Germany",
                lambda p: replace(p, germany=replace(p.germany, recognition=GermanRecognition.PARTIAL)),
            )
        )
    return changes


AU_RECOGNITION_TEXT = {
    AuRecognition.DOCTORATE: "as a doctorate",
    AuRecognition.BACHELOR: "as at least a bachelor's degree",
    AuRecognition.OCCUPATION: "as suitable for your nominated occupation",
}


def _au_recognition_changes(profile: Profile) -> list[Change]:
    """A foreign qualification not assessed yet (or not said): what recognition at its own level would add."""
    changes: list[Change] = []
    for index, credential in enumerate(profile.education or ()):
        wanted = likely_recognition(credential)
        if credential.australian or wanted is None:
            continue
        if credential.au_recognition not in (None, AuRecognition.NOT_ASSESSED):
            continue

        def recognised(p: Profile, index: int = index, wanted: AuRecognition = wanted) -> Profile:
            found = list(p.education or ())
            found[index] = replace(found[index], au_recognition=wanted)
            return replace(p, education=tuple(found))

        label = EDUCATION_LABELS[credential.level]
        changes.append(
            Change(
                "au.qualification_recognised",
                "education",
                f"Have {label} ({credential.country}) assessed by the skills-assessing authority and recognised "
                f"{AU_RECOGNITION_TEXT[wanted]}",
                recognised,
            )
        )
    return changes[:1]


def _first_language_changes(profile: Profile) -> list[Change]:
    """Declare the other official language first (the CRS scores each declaration differently)."""
    languages = {t.test_language for t in profile.language_tests or ()}
    if not {Language.ENGLISH, Language.FRENCH} <= languages:
        return []
    declared = profile.canada.first_official_language

    def declare(language: Language) -> Callable[[Profile], Profile]:
        return lambda p: replace(p, canada=replace(p.canada, first_official_language=language))

    return [
        Change(
            f"ca.first_language.{language.value}",
            "language",
            f"Declare {language.value.capitalize()} as your first official language in your Express Entry profile",
            declare(language),
        )
        for language in (Language.ENGLISH, Language.FRENCH)
        if language is not declared
    ]
