"""Sync failures, each with a message a person can act on (shown as is in the app and CLI)."""

from ..errors import UserError


class SyncError(UserError):
    """Base of every sync failure."""


class SyncUnavailable(SyncError):
    """The server could not be reached or kept failing; nothing is lost, sync again later."""


class SyncRejected(SyncError):
    """The server refused a request with a reason (``code`` from sync.wire, ``data`` its body)."""

    def __init__(self, code: str, message: str, status: int = 0, data: dict | None = None):
        super().__init__(message)
        self.code, self.status, self.data = code, status, dict(data or {})


class NotEnrolled(SyncError):
    """This laptop has no server address and token yet."""
