"""Documents a person uploads for their checklist, reviewed by their assigned advisor."""
