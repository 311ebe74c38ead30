"""Domain errors with stable codes; the HTTP layer maps each code to a status once."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the core raises on purpose. `code` is stable and documented."""

    code: str = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message


class NotFound(DomainError):
    code = "not_found"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class ValidationFailed(DomainError):
    code = "validation_failed"


class Conflict(DomainError):
    """Someone else changed the record first (optimistic concurrency)."""

    code = "conflict"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthenticated(DomainError):
    code = "unauthenticated"
