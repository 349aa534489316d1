"""Two small pieces every app's views and actions share."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)


def add_errors(form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a ValidationError from an action onto a form: on the field when the form has
    one of that name (``aliases`` maps an action's field name to the form's), else on
    the form as a whole."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = aliases.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def queue(task, *args) -> None:
    """Queue a background task, for ``transaction.on_commit``. The rows the task works
    from are already saved: when the queue cannot be reached, the error is logged and
    the user's action still stands (periodic sweeps or a retry pick the work up)."""
    try:
        task(*args)
    except Exception:
        log.exception("could not queue %s%s", getattr(task, "name", task), args)


def spreadsheet_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in a CSV cell (CSV injection): a cell that starts
    with = + - @ would be run by Excel or LibreOffice when the file is opened."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
