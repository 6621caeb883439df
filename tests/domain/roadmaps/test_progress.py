"""Progress: done tasks over the tasks that apply; checklist items done by verified documents."""

from dataclasses import replace
from datetime import date

from domain.programs.model import ApplicationStep, DocumentWho
from domain.roadmaps.model import ChecklistItem, Task, TaskStatus
from domain.roadmaps.planning import plan_steps
from domain.roadmaps.progress import blocked_by, checklist_percent, item_done, progress_percent

STEPS = plan_steps(
    [
        ApplicationStep("a", "A", "", 1, 2, 3),
        ApplicationStep("b", "B", "", 1, 2, 3, ("a",)),
        ApplicationStep("c", "C", "", 1, 2, 3, ("b",)),
    ],
    date(2026, 1, 1),
)
TASKS = tuple(Task(f"r:{s.key}", "r", "u", i, s) for i, s in enumerate(STEPS))


def with_status(*statuses: TaskStatus) -> tuple[Task, ...]:
    return tuple(replace(t, status=s) for t, s in zip(TASKS, statuses, strict=True))


def test_a_new_roadmap_is_at_zero_percent() -> None:
    assert progress_percent(TASKS) == 0


def test_progress_counts_done_tasks_and_rounds_down() -> None:
    assert progress_percent(with_status(TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.TODO)) == 33
    assert progress_percent(with_status(TaskStatus.DONE, TaskStatus.DONE, TaskStatus.TODO)) == 66


def test_skipped_tasks_do_not_count_against_progress() -> None:
    assert progress_percent(with_status(TaskStatus.DONE, TaskStatus.SKIPPED, TaskStatus.TODO)) == 50
    assert progress_percent(with_status(TaskStatus.DONE, TaskStatus.SKIPPED, TaskStatus.DONE)) == 100


def test_a_task_is_blocked_by_its_unfinished_prerequisites_only() -> None:
    tasks = with_status(TaskStatus.IN_PROGRESS, TaskStatus.TODO, TaskStatus.TODO)
    assert blocked_by(tasks[1], tasks) == ("a",)
    assert blocked_by(tasks[0], tasks) == ()
    finished = with_status(TaskStatus.SKIPPED, TaskStatus.TODO, TaskStatus.TODO)
    assert blocked_by(finished[1], finished) == ()


def test_a_checklist_item_is_done_when_a_verified_document_has_its_key() -> None:
    items = [
        ChecklistItem("passport", "passport", "Passport", "", DocumentWho.APPLICANT),
        ChecklistItem(
            "police_certificates:IN",
            "police_certificates",
            "Police (IN)",
            "",
            DocumentWho.EACH_COUNTRY_LIVED_IN,
            country="IN",
        ),
    ]
    verified = {"police_certificates:IN"}
    assert [item_done(i, verified) for i in items] == [False, True]
    assert checklist_percent(items, verified) == 50
