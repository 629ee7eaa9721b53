"""Photo evidence: a strip of thumbnails per item and a larger view with caption and removal.

Thumbnails are decoded at their small size (QImageReader.setScaledSize) and cached by hash.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QToolButton,
    QVBoxLayout, QWidget,
)

from assessor_app.errors import EvidenceRejected, UserError
from assessor_app.evidence.files import read_evidence

from ..i18n import _

THUMB = 64
_cache: dict[tuple[str, int], QPixmap] = {}


def _evidence_bytes(path) -> bytes:
    """The photo's bytes through the one evidence-reading function (decrypts a sealed file and
    re-checks its hash); an unreadable file gives no bytes (an empty thumbnail)."""
    path = Path(path)
    try:
        return read_evidence(path.parent.parent, path.name)
    except (EvidenceRejected, ValueError, UserError):
        return b""


def load_pixmap(path, size: int) -> QPixmap:
    key = (str(path), size)
    if key not in _cache:
        buffer = QBuffer()
        buffer.setData(QByteArray(_evidence_bytes(path)))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        reader.setAutoTransform(True)
        full = reader.size()
        if full.isValid() and max(full.width(), full.height()) > size:
            reader.setScaledSize(full.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
        _cache[key] = QPixmap.fromImage(reader.read())
    return _cache[key]


class EvidenceStrip(QWidget):
    """Thumbnails of the photos attached to one item; a click opens the larger view."""

    open_photo = Signal(dict)

    def __init__(self, path_for, parent=None):
        super().__init__(parent)
        self.path_for = path_for
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 2, 0, 2)
        self.row.setSpacing(6)
        self.row.addStretch(1)
        self.buttons: list[QToolButton] = []

    def set_photos(self, photos: list[dict]) -> None:
        for b in self.buttons:
            b.deleteLater()
        self.buttons = []
        for n, ev in enumerate(photos):
            b = QToolButton()
            b.setIcon(load_pixmap(self.path_for(ev["sha256"]), THUMB))
            b.setIconSize(QSize(THUMB, THUMB))
            b.setAutoRaise(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setToolTip(ev.get("caption") or _("Photo {n}").format(n=n + 1))
            b.clicked.connect(lambda checked=False, e=ev: self.open_photo.emit(e))
            self.row.insertWidget(n, b)
            self.buttons.append(b)
        self.setVisible(bool(photos))


class PhotoDialog(QDialog):
    """A larger view of one photo, its caption (saved when changed) and a Remove button."""

    def __init__(self, photo: dict, path, editable: bool, save_caption, remove, parent=None):
        super().__init__(parent)
        self.photo = photo
        self.setWindowTitle(_("Photo evidence"))
        self.resize(900, 680)
        v = QVBoxLayout(self)
        image = QLabel()
        image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image.setPixmap(load_pixmap(path, 820))
        image.setMinimumHeight(300)
        v.addWidget(image, 1)
        facts = [f"{photo.get('width')} × {photo.get('height')} px"]
        if photo.get("taken_at"):
            facts.append(_("taken {time}").format(time=photo["taken_at"]))
        if photo.get("gps_lat") is not None:
            facts.append(f"GPS {photo['gps_lat']:.5f}, {photo['gps_lon']:.5f}")
        info = QLabel(" · ".join(facts))
        info.setObjectName("muted")
        v.addWidget(info)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Caption")))
        self.caption = QLineEdit(photo.get("caption") or "")
        self.caption.setReadOnly(not editable)
        self._saved = self.caption.text()
        self._save_caption = save_caption
        self.caption.editingFinished.connect(self.save_caption)
        row.addWidget(self.caption, 1)
        v.addLayout(row)
        buttons = QDialogButtonBox()
        self.remove_button = QPushButton(_("Remove photo"))
        self.remove_button.setEnabled(editable)
        self.remove_button.clicked.connect(lambda: remove() and self.accept())
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(lambda: (self.save_caption(), self.reject()))
        v.addWidget(buttons)

    def save_caption(self) -> None:
        text = self.caption.text().strip()
        if text != self._saved and not self.caption.isReadOnly() and self._save_caption(text):
            self._saved = text
