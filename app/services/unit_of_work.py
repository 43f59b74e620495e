"""The request's unit of work as the doors see it: they never hold the database session themselves."""
from __future__ import annotations

from .. import db


def abandon() -> None:
    """Roll back whatever a failed call left in the request's session (a refused write, or a
    PostgreSQL transaction aborted by an error), so the rest of the request starts clean."""
    db.session().rollback()
