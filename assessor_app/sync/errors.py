"""Sync failures, each with a message a person can act on (shown as is in the app and CLI).

Messages are in the language current when the error is raised. The server answers refusals with a
stable ``code`` and an English ``message`` (the wire protocol, unchanged); :func:`server_message`
shows the client's own translation for that code instead, and the server's English text where
the current language has none (English).
"""

from ..errors import UserError
from ..i18n import N_, _
from . import wire

#: a person's message for each refusal code the server may send; ``{detail}`` is the server's
#: own (English) explanation, kept where only it says what exactly was wrong
SERVER_MESSAGES = {
    wire.E_PROTOCOL: N_("the server speaks a different sync protocol version: update Assessor on "
                        "this laptop, then sync again"),
    wire.E_AUTH: N_("the server does not know this laptop (it is not enrolled, or its token was "
                    "replaced); enrol it again with a code from your administrator"),
    wire.E_REVOKED: N_("this laptop's access was revoked by the administrator; ask for a new "
                       "enrolment code"),
    wire.E_FORBIDDEN: N_("the server refused: this device may not do this ({detail})"),
    wire.E_NOT_FOUND: N_("the server has nothing of that name that you may see ({detail})"),
    wire.E_INVALID: N_("the server refused the data as invalid; nothing was stored ({detail})"),
    wire.E_TOO_LARGE: N_("the server refused the data as too large ({detail})"),
    wire.E_REVISION_TAKEN: N_("the server already holds other content under this revision "
                              "number; sync again"),
    wire.E_LOCKED: N_("the assessment is locked on the server (approved by the supervisor); your "
                      "changes were not sent (they stay on this laptop)"),
    wire.E_MISSING_BLOBS: N_("some photo or signature files have not arrived at the server yet; "
                             "sync again"),
    wire.E_OFFSET: N_("an upload was interrupted; sync again to continue it"),
    wire.E_CODE: N_("this enrolment code is not valid, was already used or has expired; check it "
                    "or ask the administrator for a new one"),
    wire.E_RATE: N_("too many failed enrolment attempts from this address; wait a minute and try "
                    "again"),
    wire.E_QUOTA: N_("the server holds too many of this laptop's files that no assessment uses "
                     "yet; ask the administrator ({detail})"),
    wire.E_STALE: N_("the decision was not applied: the assessment changed on the server since "
                     "you reviewed it ({detail}); your comment is kept, review the new version"),
    wire.E_RESYNC: N_("the server does not know this sync position (it was restored or "
                      "replaced); everything will be synced again"),
}


def server_message(code: str, message: str | None, status: int = 0) -> str:
    """What to show for the server's refusal ``code``: the translation in the current language,
    else the server's own English ``message``."""
    detail = message or _("the server refused ({status})").format(status=status)
    template = SERVER_MESSAGES.get(code)
    if template is None or _(template) == template:
        return detail
    return _(template).format(detail=detail) if "{detail}" in template else _(template)


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
