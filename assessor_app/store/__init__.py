"""The local database: one :class:`AssessmentStore` owns it; every write is one of its methods.

>>> store = AssessmentStore(data_dir, actor="Rina")           # doctest: +SKIP
>>> uid = store.create_assessment("ori_penilaian_2022", unit={"unit": "Disdukcapil Kota X"})  # doctest: +SKIP
>>> store.set_answer(uid, "kp_standar", 3, sample=0)             # committed when it returns # doctest: +SKIP
"""

from .actions import ActionsMixin
from .assessments import AssessmentsMixin
from .attachments import AttachmentsMixin
from .base import StoreBase
from .library import LibraryMixin
from .sync_state import SyncStateMixin
from .register import RegisterMixin
from .review import ReviewMixin
from .records import EDITABLE, STATUSES, Assessment, Change
from .samples import SamplesMixin
from .templates import TemplatesMixin


class AssessmentStore(TemplatesMixin, AssessmentsMixin, SamplesMixin, AttachmentsMixin,
                      SyncStateMixin, ReviewMixin, LibraryMixin, RegisterMixin, ActionsMixin,
                      StoreBase):
    """The front object over the local sqlite-utils database in ``data_dir``.

    Not thread-safe: make one per thread (the connection is bound to its thread).
    Photos and signature images live content-addressed in ``data_dir/evidence``.
    """


__all__ = ["AssessmentStore", "Assessment", "Change", "STATUSES", "EDITABLE"]
