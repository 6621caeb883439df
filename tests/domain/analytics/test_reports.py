"""Report arithmetic: stitched actors, funnels, active counts and cohorts."""

from datetime import UTC, date, datetime, timedelta

from domain.analytics.reports import (
    Interval,
    active,
    canonical,
    cohorts,
    conversion,
    drop_off,
    funnel,
    grouped_funnel,
    journeys,
    period_start,
    stitched_firsts,
    stitched_steps,
)

STEPS = ("started", "completed", "roadmap")


def test_a_visitor_stitched_to_an_account_counts_once_with_both_histories() -> None:
    links = {"visitor": "account", "assessment": "visitor"}
    per_actor = {"visitor": {"started"}, "assessment": {"completed"}, "account": {"roadmap"}}
    assert canonical("assessment", links) == "account"
    assert stitched_steps(per_actor, links) == {"account": {"started", "completed", "roadmap"}}


def test_a_funnel_counts_people_who_did_every_step_so_far() -> None:
    per_actor = {
        "a": {"started", "completed", "roadmap"},
        "b": {"started", "completed"},
        "c": {"started"},
        "d": {"started"},
        "e": {"completed", "roadmap"},  # never started in the window: in no step
    }
    steps = funnel(STEPS, per_actor)
    assert [(s.name, s.actors) for s in steps] == [("started", 4), ("completed", 2), ("roadmap", 1)]
    assert [s.conversion for s in steps] == [None, 0.5, 0.5]


def test_weekly_active_people_and_cohorts_follow_stitching() -> None:
    days = {
        ("v1", date(2026, 11, 2)),  # Monday, week 1
        ("u1", date(2026, 11, 4)),
        ("u1", date(2026, 11, 10)),  # week 2
        ("u2", date(2026, 11, 10)),
        ("u2", date(2026, 11, 24)),  # week 4
    }
    links = {"v1": "u1"}
    assert [(p.start, p.actors) for p in active(days, links, Interval.WEEK)] == [
        (date(2026, 11, 2), 1),
        (date(2026, 11, 9), 2),
        (date(2026, 11, 23), 1),
    ]
    assert [(c.week, c.size, c.retained) for c in cohorts(days, links, 3)] == [
        (date(2026, 11, 2), 1, (1, 1, 0)),
        (date(2026, 11, 9), 1, (1, 0, 1)),
    ]


def test_drop_off_counts_each_unfinished_person_at_their_last_answer() -> None:
    t = datetime(2026, 11, 2, 12, tzinfo=UTC)
    last = {
        "a": (t, 1, "birth_date"),
        "b": (t, 1, "birth_date"),
        "c": (t, 1, "education"),
        "done": (t, 1, "education"),  # finished: not a drop-off
        "visitor": (t, 1, "destinations"),  # stitched to "d", whose later answer counts
        "d": (t + timedelta(minutes=5), 1, "work_history"),
    }
    rows = drop_off(last, {"done"}, {"visitor": "d"})
    assert [(r.bank_version, r.question_id, r.actors) for r in rows] == [
        (1, "birth_date", 2),
        (1, "education", 1),
        (1, "work_history", 1),
    ]


def test_journeys_are_paths_in_first_occurrence_order_most_common_first() -> None:
    t = datetime(2026, 11, 2, 12, tzinfo=UTC)
    first = {
        "a": {"started": (t, None), "completed": (t + timedelta(minutes=1), None)},
        "b": {"completed": (t + timedelta(minutes=3), None), "started": (t + timedelta(minutes=2), None)},
        "visitor": {"started": (t, None)},
        "c": {"signed_up": (t + timedelta(minutes=1), None)},
    }
    assert [(j.steps, j.actors) for j in journeys(first, {"visitor": "c"}, 5)] == [
        (("started", "completed"), 2),
        (("started", "signed_up"), 1),
    ]
    assert len(journeys(first, {}, 1)) == 1


def test_months_start_on_the_first_and_weeks_on_monday() -> None:
    day = date(2026, 12, 3)  # a Thursday
    assert [period_start(day, i) for i in Interval] == [day, date(2026, 11, 30), date(2026, 12, 1)]


def test_a_grouped_funnel_puts_each_person_where_they_entered_and_adds_up_to_the_whole() -> None:
    monday, tuesday = datetime(2026, 11, 2, 23, 59, tzinfo=UTC), datetime(2026, 11, 3, 0, 0, tzinfo=UTC)
    first = {
        "a": {"started": (monday, "web"), "completed": (tuesday, "ios")},  # completed the next day: counted Monday
        "b": {"started": (tuesday, "ios")},
        "visitor": {"started": (monday, "ios")},  # stitched to c: c entered on Monday on ios
        "c": {"started": (tuesday, "web"), "completed": (tuesday, "web")},
        "d": {"completed": (monday, "web")},  # never started: in no group
    }
    people = stitched_firsts(first, {"visitor": "c"})
    assert people["c"]["started"] == (monday, "ios")
    rows = grouped_funnel(("started", "completed"), people, Interval.DAY)
    by_day = [(r.period, r.group, r.name, r.actors, r.conversion) for r in rows]
    assert by_day == [
        (date(2026, 11, 2), "ios", "started", 1, None),
        (date(2026, 11, 2), "ios", "completed", 1, 1.0),
        (date(2026, 11, 2), "web", "started", 1, None),
        (date(2026, 11, 2), "web", "completed", 1, 1.0),
        (date(2026, 11, 3), "ios", "started", 1, None),
        (date(2026, 11, 3), "ios", "completed", 0, 0.0),
    ]
    ungrouped = {name: set(seen) for name, seen in people.items()}
    assert sum(r.actors for r in rows if r.name == "completed") == funnel(("started", "completed"), ungrouped)[1].actors
    weekly = grouped_funnel(
        ("started", "completed"),
        {p: {n: (t, None) for n, (t, _) in s.items()} for p, s in people.items()},
        Interval.WEEK,
    )
    assert [(r.period, r.group, r.actors) for r in weekly] == [
        (date(2026, 11, 2), None, 3),
        (date(2026, 11, 2), None, 2),
    ]


def test_conversion_counts_visitors_then_people_who_did_each_stage_and_every_earlier_one() -> None:
    people = {
        "a": {"screen_view"},
        "b": {"assessment_completed"},
        "c": {"assessment_completed", "signed_up", "roadmap_created", "subscription_started"},
        "d": {"signed_up", "subscription_started"},  # paid without a quiz: a visitor only, by the funnel's rule
    }
    steps = conversion(people)
    assert [(s.name, s.actors, s.conversion) for s in steps] == [
        ("visitor", 4, None),
        ("assessment_completed", 2, 0.5),
        ("signed_up", 1, 0.5),
        ("roadmap_created", 1, 1.0),
        ("subscription_started", 1, 1.0),
    ]
