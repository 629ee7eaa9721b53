"""The sync client and wire protocol (Qt-free). See docs/sync.md.

>>> from assessor_app.sync import enroll, SyncClient        # doctest: +SKIP
>>> enroll(store, "https://sync.example.org", "ABCD-EFGH-JKLM")  # doctest: +SKIP
>>> SyncClient(store).sync().pushed                         # doctest: +SKIP
"""

from .client import SyncClient, SyncProgress, SyncReport, enroll
from .errors import NotEnrolled, SyncError, SyncRejected, SyncUnavailable

__all__ = ["SyncClient", "SyncProgress", "SyncReport", "enroll", "NotEnrolled", "SyncError",
           "SyncRejected", "SyncUnavailable"]
