"""Named failures, each carrying a message a person can act on.

Every exception a user may see derives from :class:`UserError`. The CLI prints ``str(error)`` and
exits with status 2; the desktop app shows the same text in a dialog. Neither shows a traceback.
"""

from .i18n import _


class UserError(Exception):
    """A failure caused by input or circumstances the user can fix; ``str()`` says what to do."""


class TemplateInvalid(UserError):
    """A checklist template failed validation.

    ``problems`` is a list of ``(location, message)`` where location reads like
    ``ori-2022.yaml: sections[2].items[5].weight``.
    """

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = list(problems)
        lines = [f"{loc}: {msg}" if loc else msg for loc, msg in self.problems]
        super().__init__("\n".join(lines) if lines else _("invalid template"))


class TemplateNotFound(UserError):
    """No template with the requested id (and version) is in the store."""


class AnswerInvalid(UserError):
    """An answer value does not fit its item (wrong type, out of range, unknown option)."""


class AssessmentNotFound(UserError):
    """No assessment with that id in the store."""


class AssessmentLocked(UserError):
    """The assessment is completed, submitted or approved and cannot be edited as it stands."""


class ExchangeInvalid(UserError):
    """An exchange file (JSON or ZIP) is malformed, truncated, or inconsistent."""


class EvidenceRejected(UserError):
    """A photo or signature image was refused (not an image, truncated, too large, a bomb)."""


class HistoryBroken(UserError):
    """The hash chain of an assessment's history does not verify."""


class StoreError(UserError):
    """The local database could not be opened, migrated or written."""
