"""The small vocabulary of errors services raise; views and the API map them."""
from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base class: `message` is shown to the user (already in their language)."""

    def __init__(self, message: Any = "") -> None:
        self.message = message
        super().__init__(str(message))


class NotFound(ServiceError):
    pass


class NotAuthorized(ServiceError):
    pass


class ValidationError(ServiceError):
    """Invalid input; `errors` maps a field name to a list of messages."""

    def __init__(self, errors: dict[str, list[Any]], message: Any = "") -> None:
        self.errors = {k: [str(m) for m in v] for k, v in errors.items()}
        super().__init__(message or "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class NameTaken(ValidationError):
    """A dataset already has the URL name asked for (`name`). `existing` is that dataset when the
    actor may see it (else None: a draft elsewhere does not reveal its title), and `may_change`
    says whether the actor may upload a new version to it instead."""

    def __init__(self, errors: dict[str, list[Any]], message: Any, *, name: str, existing: Any = None,
                 may_change: bool = False) -> None:
        self.name = name
        self.existing = existing
        self.may_change = may_change
        super().__init__(errors, message)


class Conflict(ServiceError):
    pass


class Unavailable(ServiceError):
    """Stored data that should be there cannot be read (a missing or damaged file): the
    operator must act (`portal check`); the reader is told to come back later."""


class Throttled(ServiceError):
    """Too many attempts (failed logins from one address or for one account): try again after
    `retry_after` seconds."""

    def __init__(self, message: Any = "", retry_after: int = 60) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message)
