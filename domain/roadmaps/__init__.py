"""Roadmaps: planned steps, milestones, a personalised document checklist, reminders and PDF reports."""
