"""The personalised checklist: partner documents only when partnered, one police certificate per country."""

from datetime import date

from domain.assessment.snapshot import Supplement
from domain.profile import Profile
from domain.programs.catalog import CATALOG
from domain.programs.model import Country, DocumentWho
from domain.recommendations.fact_values import FactValuesBuilder
from domain.roadmaps.checklist import countries_lived_in, personalised_checklist, with_residence_count
from domain.roadmaps.model import ChecklistItem
from tests.builders.profiles import credential, job, make_profile, married

ON = date(2026, 6, 1)
FSW = next(p for p in CATALOG if p.slug == "ca-express-entry-fsw")
CANADA = Country("CA", "Canada", "CAD", "North America", "🇨🇦")


def checklist(profile: Profile, countries: tuple[str, ...]) -> tuple[ChecklistItem, ...]:
    facts = FactValuesBuilder(profile, Supplement(), ON).for_program(FSW, CANADA)
    return personalised_checklist(FSW.documents, with_residence_count(facts, countries), countries)


def keys(items: tuple[ChecklistItem, ...]) -> list[str]:
    return [item.key for item in items]


def test_a_single_person_gets_no_partner_documents() -> None:
    items = checklist(make_profile(), ("IN",))
    assert not [i for i in items if i.who is DocumentWho.PARTNER]
    assert "partner_passport" not in keys(items) and "relationship_evidence" not in keys(items)


def test_a_married_person_with_an_accompanying_partner_gets_both_partner_documents() -> None:
    items = checklist(married(make_profile(), accompanying=True), ("IN",))
    assert {"partner_passport", "relationship_evidence"} <= set(keys(items))


def test_a_partner_who_stays_behind_needs_proof_of_the_relationship_but_no_passport() -> None:
    items = checklist(married(make_profile(), accompanying=False), ("IN",))
    assert "relationship_evidence" in keys(items)
    assert "partner_passport" not in keys(items)


def test_one_police_certificate_per_country_lived_in() -> None:
    items = [i for i in checklist(make_profile(), ("AE", "IN", "SG")) if i.document_key == "police_certificates"]
    assert [(i.key, i.country) for i in items] == [
        ("police_certificates:AE", "AE"),
        ("police_certificates:IN", "IN"),
        ("police_certificates:SG", "SG"),
    ]
    assert all(i.who is DocumentWho.EACH_COUNTRY_LIVED_IN for i in items)


def test_no_country_lived_in_means_no_police_certificate() -> None:
    assert not [k for k in keys(checklist(make_profile(), ())) if k.startswith("police_certificates")]


def test_children_birth_certificates_only_with_dependent_children() -> None:
    assert "children_birth_certificates" not in keys(checklist(make_profile(dependent_children=0), ("IN",)))
    assert "children_birth_certificates" in keys(checklist(make_profile(dependent_children=2), ("IN",)))


def test_a_condition_the_profile_cannot_decide_keeps_the_document_marked_uncertain() -> None:
    items = {i.key: i for i in checklist(make_profile(dependent_children=None), ("IN",))}
    kept = items["children_birth_certificates"]
    assert kept.uncertain and kept.condition == "Dependent children are included in the application"
    assert not items["passport"].uncertain


def test_unconditional_documents_are_always_listed_in_catalog_order() -> None:
    assert keys(checklist(make_profile(), ()))[:3] == ["passport", "language_results", "employment_references"]


def test_countries_lived_in_come_from_passports_work_and_study_without_the_destination() -> None:
    profile = make_profile(
        citizenships=frozenset({"IN"}), work_history=(job("AE"), job("CA")), education=(credential(country="GB"),)
    )
    assert countries_lived_in(profile, "CA") == ("AE", "GB", "IN")
