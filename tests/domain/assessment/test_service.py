"""Assessment use cases over in-memory ports: resume, ownership, completion snapshots, claiming, progress."""

import asyncio
from datetime import date

import pytest

from domain.assessment.model import Holder, Status
from domain.assessment.service import holder_for, token_hash
from domain.errors import BadUserInput, NotFound, Unauthenticated, Unavailable
from tests.builders.answers import reference_quiz
from tests.domain.assessment.fakes import World, world

TODAY = date(2026, 11, 25)


async def answer_all(w: World, holder: Holder, assessment_id: str) -> None:
    for question_id, value in reference_quiz(TODAY):
        await w.service.answer(holder, assessment_id, question_id, value)


async def test_an_anonymous_start_returns_a_token_and_stores_only_its_hash() -> None:
    w = world()
    assessment, token = await w.service.start(None, "192.0.2.1")
    assert token == "token-1" and assessment.owner_id is None
    assert w.assessments.rows[assessment.id].token_hash == token_hash("token-1") != "token-1"


async def test_a_signed_in_start_has_an_owner_and_no_token() -> None:
    w = world()
    assessment, token = await w.service.start("ann", "192.0.2.1")
    assert (assessment.owner_id, token, w.assessments.rows[assessment.id].token_hash) == ("ann", None, None)


async def test_the_token_resumes_the_quiz_on_another_device() -> None:
    w = world()
    assessment, token = await w.service.start(None, "192.0.2.1")
    await w.service.answer(holder_for(None, token), assessment.id, "destinations", ["CA"])
    elsewhere = await w.service.get(holder_for(None, token), assessment.id)
    assert elsewhere.answers["destinations"].value == ["CA"] and elsewhere.revision == 1


async def test_a_wrong_token_or_another_user_finds_nothing_and_changes_nothing() -> None:
    w = world()
    assessment, _ = await w.service.start("ann", "192.0.2.1")
    for holder in (holder_for(None, "guess"), holder_for("bob", None)):
        with pytest.raises(NotFound):
            await w.service.answer(holder, assessment.id, "destinations", ["CA"])
    assert w.assessments.rows[assessment.id].assessment.answers == {}
    assert w.events.published == []


async def test_no_user_and_no_token_is_unauthenticated() -> None:
    w = world()
    assessment, _ = await w.service.start(None, "192.0.2.1")
    with pytest.raises(Unauthenticated):
        await w.service.get(Holder(), assessment.id)


async def test_an_answer_that_drops_others_reports_them_and_publishes_progress() -> None:
    w = world()
    assessment, _ = await w.service.start("ann", "192.0.2.1")
    holder = holder_for("ann", None)
    await w.service.answer(holder, assessment.id, "marital_status", "married")
    await w.service.answer(holder, assessment.id, "partner_accompanying", True)
    outcome = await w.service.answer(holder, assessment.id, "marital_status", "single")
    assert outcome.dropped == ("partner_accompanying",)
    assert w.events.published == [(assessment.id, 1), (assessment.id, 2), (assessment.id, 3)]


async def test_a_lost_race_is_retried_so_no_answer_is_lost() -> None:
    w = world()
    assessment, _ = await w.service.start("ann", "192.0.2.1")
    w.assessments.conflicts = 2
    outcome = await w.service.answer(holder_for("ann", None), assessment.id, "destinations", ["CA"])
    assert outcome.assessment.revision == 3 and outcome.assessment.answers["destinations"].value == ["CA"]


async def test_endless_conflicts_give_up_as_unavailable() -> None:
    w = world()
    assessment, _ = await w.service.start("ann", "192.0.2.1")
    w.assessments.conflicts = 99
    with pytest.raises(Unavailable):
        await w.service.answer(holder_for("ann", None), assessment.id, "destinations", ["CA"])


async def test_completing_too_early_names_the_next_question() -> None:
    w = world()
    assessment, _ = await w.service.start("ann", "192.0.2.1")
    with pytest.raises(BadUserInput) as refused:
        await w.service.complete(holder_for("ann", None), assessment.id)
    assert refused.value.details == {"field": "assessmentId", "nextQuestion": "destinations"}
    assert w.snapshots.rows == {}


async def test_a_completed_snapshot_does_not_change_with_later_answers() -> None:
    w = world()
    assessment, _ = await w.service.start("ann", "192.0.2.1")
    holder = holder_for("ann", None)
    await answer_all(w, holder, assessment.id)
    completed, snapshot = await w.service.complete(holder, assessment.id)
    assert completed.status is Status.COMPLETED and completed.latest_snapshot_id == snapshot.id
    assert snapshot.profile.funds is not None and snapshot.profile.funds.amount == 30000
    await w.service.answer(holder, assessment.id, "funds", {"amount": 1000, "currency": "CAD"})
    again = await w.service.latest_snapshot(await w.service.get(holder, assessment.id))
    assert again == snapshot


async def test_claiming_attaches_the_assessment_and_its_snapshots_and_retires_the_token() -> None:
    w = world()
    assessment, token = await w.service.start(None, "192.0.2.1")
    assert token is not None
    anonymous = holder_for(None, token)
    await answer_all(w, anonymous, assessment.id)
    _, snapshot = await w.service.complete(anonymous, assessment.id)
    claimed = await w.service.claim("ann", assessment.id, token)
    assert claimed.owner_id == "ann"
    assert (await w.snapshots.latest_for_owner("ann")) == w.snapshots.rows[snapshot.id]
    with pytest.raises(NotFound):
        await w.service.get(anonymous, assessment.id)
    assert (await w.service.claim("ann", assessment.id, token)).id == assessment.id  # a retry is harmless


async def test_nobody_else_can_claim_with_a_wrong_token_or_after_the_owner() -> None:
    w = world()
    assessment, token = await w.service.start(None, "192.0.2.1")
    assert token is not None
    with pytest.raises(NotFound):
        await w.service.claim("bob", assessment.id, "not-the-token")
    await w.service.claim("ann", assessment.id, token)
    with pytest.raises(NotFound):
        await w.service.claim("bob", assessment.id, token)
    assert w.assessments.rows[assessment.id].assessment.owner_id == "ann"


async def test_watching_yields_progress_now_and_after_each_change() -> None:
    w = world()
    assessment, _ = await w.service.start("ann", "192.0.2.1")
    holder = holder_for("ann", None)
    stream = w.service.watch(holder, assessment.id)
    state, _ = await anext(stream)
    first = state.progress
    assert (first.answered, first.revision, first.next_question and first.next_question.id) == (0, 0, "destinations")
    await w.service.answer(holder, assessment.id, "destinations", ["CA"])
    state, _ = await asyncio.wait_for(anext(stream), 1)
    second = state.progress
    assert (second.answered, second.revision, second.next_question and second.next_question.id) == (1, 1, "birth_date")
    await stream.aclose()
    assert w.events.queues[assessment.id] == []


async def test_only_the_holder_may_watch() -> None:
    w = world()
    assessment, _ = await w.service.start("ann", "192.0.2.1")
    with pytest.raises(NotFound):
        await anext(w.service.watch(holder_for("bob", None), assessment.id))
