"""How far along a roadmap is: tasks done, what blocks a task, and which checklist items are covered."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from domain.roadmaps.model import ChecklistItem, Task, TaskStatus


def progress_percent(tasks: Sequence[Task]) -> int:
    """Done tasks over the tasks that apply (skipped ones do not), rounded down: 100 only when all are done."""
    applicable = [t for t in tasks if t.status is not TaskStatus.SKIPPED]
    if not applicable:
        return 100
    done = sum(1 for t in applicable if t.status is TaskStatus.DONE)
    return 100 * done // len(applicable)


def blocked_by(task: Task, tasks: Sequence[Task]) -> tuple[str, ...]:
    """The prerequisites of `task` that are not finished yet."""
    status = {t.key: t.status for t in tasks}
    return tuple(key for key in task.step.depends_on if not status.get(key, TaskStatus.TODO).finished)


def item_done(item: ChecklistItem, verified_categories: Collection[str]) -> bool:
    """A checklist item is done when a verified document is filed under its key."""
    return item.key in verified_categories


def checklist_percent(items: Sequence[ChecklistItem], verified_categories: Collection[str]) -> int:
    if not items:
        return 100
    return 100 * sum(1 for item in items if item_done(item, verified_categories)) // len(items)
