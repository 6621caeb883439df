"""Every score names its scale, so two programs' numbers are never read as one: results rows and PDF tables."""

from domain.assessment.snapshot import Supplement
from domain.points import score
from domain.points.labels import on_scale
from domain.programs.catalog import CATALOG, COUNTRY_BY_CODE
from domain.recommendations.ranking import rank_programs
from domain.roadmaps.reports import points_table, recommendation_rows
from tests.builders.profiles import ON, make_profile


def test_crs_reads_without_its_maximum_and_grids_with_it() -> None:
    assert on_scale("crs", 458, 1200) == "CRS 458"
    assert on_scale("fsw67", 74, 100) == "FSW grid 74/100"
    assert on_scale("au_skilled_189", 75, 150) == "Australian points (189) 75/150"


def test_results_rows_show_each_programs_score_on_its_own_scale() -> None:
    profile = make_profile()
    ranked = rank_programs(profile, Supplement(), CATALOG, COUNTRY_BY_CODE, ON)
    rows = {row.program: row.points for row in recommendation_rows(ranked)}
    fsw, cec = score("fsw67", profile, ON), score("crs", profile, ON)
    assert rows["Express Entry – Federal Skilled Worker Program"] == f"FSW grid {fsw.total}/100"
    assert rows["Express Entry – Canadian Experience Class"] == f"CRS {cec.total}"
    assert rows["H-1B specialty occupation"] == "—"


def test_the_pdf_points_table_carries_the_scale() -> None:
    result = score("crs", make_profile(), ON)
    assert points_table(result).scale == f"CRS {result.total}"
