"""Drawn signatures: a pad that takes mouse, pen (tablet) and touch input, and the dialog where
the inspector and the unit's representative sign (name, role, time), stored through the core."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from assessor_app.timefmt import format_instant

from . import theme
from .i18n import _
from .widgets.evidence import load_pixmap

INK = QColor("#14287A")


class SignaturePad(QWidget):
    """Collects strokes; ``to_png()`` gives a transparent PNG of the drawing."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.strokes: list[list[QPointF]] = []
        self._drawing = False
        self.setMinimumSize(QSize(360, 140))
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(_("Sign here with the mouse, a pen or a finger"))

    # -- input: mouse, tablet pen, touch
    def _begin(self, pos: QPointF) -> None:
        self.strokes.append([QPointF(pos)])
        self._drawing = True
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._drawing and self.strokes:
            self.strokes[-1].append(QPointF(pos))
            self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, e):
        self._begin(e.position())

    def mouseMoveEvent(self, e):
        self._extend(e.position())

    def mouseReleaseEvent(self, e):
        self._end()

    def tabletEvent(self, e):
        kind = e.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(e.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend(e.position())
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        e.accept()

    def event(self, e):
        kind = e.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            points = e.points()
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(pos)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(pos)
                else:
                    self._end()
            e.accept()
            return True
        return super().event(e)

    # -- output
    def add_stroke(self, points: list[tuple[float, float]]) -> None:
        self.strokes.append([QPointF(x, y) for x, y in points])
        self.changed.emit()
        self.update()

    def is_empty(self) -> bool:
        return not any(len(s) > 1 for s in self.strokes)

    def clear(self) -> None:
        self.strokes = []
        self.changed.emit()
        self.update()

    def _paint_strokes(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(INK, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in self.strokes:
            path = QPainterPath(stroke[0])
            for pt in stroke[1:]:
                path.lineTo(pt)
            painter.drawPath(path)

    background = None      # the stored signature, shown while nothing new is drawn

    def set_background(self, pixmap) -> None:
        self.background = pixmap
        self.update()

    def paintEvent(self, event):
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#FFFFFF"))
        p.setPen(QPen(QColor("#C9CED6"), 1, Qt.PenStyle.DashLine))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        base = self.height() - 30
        p.drawLine(20, base, self.width() - 20, base)
        if self.background is not None and not self.strokes and not self.background.isNull():
            bg = self.background.scaled(self.size() * 0.9, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation)
            p.drawPixmap((self.width() - bg.width()) // 2, (self.height() - bg.height()) // 2, bg)
        self._paint_strokes(p)

    def to_png(self) -> bytes:
        image = QImage(self.size(), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self._paint_strokes(painter)
        painter.end()
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        return bytes(buf.data())


class SignerBox(QGroupBox):
    """One signer: printed name, role, the pad, and the stored signature's time."""

    def __init__(self, session, role: str, title: str, default_name: str = "", parent=None):
        super().__init__(title, parent)
        self.session, self.role = session, role
        existing = session.signatures().get(role) or {}
        v = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(existing.get("name") or default_name)
        self.title = QLineEdit(existing.get("title") or "")
        self.title.setPlaceholderText(_("e.g. Head of the unit"))
        form.addRow(_("Name"), self.name)
        form.addRow(_("Role"), self.title)
        v.addLayout(form)
        self.pad = SignaturePad()
        v.addWidget(self.pad)
        # the state on its own line under the pad (it never overlaps the drawing), buttons below
        self.state = QLabel("")
        self.state.setWordWrap(True)
        v.addWidget(self.state)
        row = QHBoxLayout()
        row.addStretch(1)
        clear = QPushButton(_("Clear"))
        clear.clicked.connect(self.pad.clear)
        self.save_button = QPushButton(_("Save signature"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        self.pad.changed.connect(lambda: self.save_button.setEnabled(not self.pad.is_empty()))
        row.addWidget(clear)
        row.addWidget(self.save_button)
        v.addLayout(row)
        self.show_stored()

    def show_stored(self) -> None:
        sig = self.session.signatures().get(self.role)
        if sig:
            # the saved signature stays in the pad, where it was drawn
            self.pad.set_background(load_pixmap(self.session.evidence_path(sig["sha256"]), 400))
            self.state.setText(_("Signed by {name} at {time}").format(
                name=sig["name"], time=format_instant(sig["signed_at"])))
            self.state.setStyleSheet(f"color: {theme.GREEN};")
        else:
            self.state.setText(_("Not signed yet"))
            self.state.setStyleSheet(f"color: {theme.MUTED};")

    def save(self) -> bool:
        if self.pad.is_empty():
            return False
        ok = self.session.sign(self.role, self.name.text().strip(), self.title.text().strip(),
                               self.pad.to_png())
        if ok:
            self.pad.clear()
            self.show_stored()
            self.save_button.setEnabled(False)
        return ok


class SignaturesDialog(QDialog):
    def __init__(self, session, inspector_name: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Signatures"))
        v = QVBoxLayout(self)
        hint = QLabel(_("The inspector and the unit's representative sign before the assessment "
                        "is completed. Each signature is saved with the name, role and time."))
        hint.setWordWrap(True)
        v.addWidget(hint)
        row = QHBoxLayout()
        self.inspector = SignerBox(session, "inspector", _("Inspector"), inspector_name)
        self.representative = SignerBox(session, "representative", _("Unit representative"))
        row.addWidget(self.inspector)
        row.addWidget(self.representative)
        v.addLayout(row)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)
        editable = session.editable
        for box in (self.inspector, self.representative):
            box.setEnabled(editable)
