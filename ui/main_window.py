"""The main window only assembles pages: the top bar, the sidebar, the pages, the status bar.

Switching the language rebuilds every page (so no screen mixes languages) and brings the person
back to the same place.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QProgressBar,
    QSizePolicy, QStackedWidget, QToolBar, QWidget,
)

from assessor_app import __version__
from assessor_app.errors import AssessmentNotFound, UserError
from assessor_app.i18n import set_language

from . import extensions
from .actions_page import ActionsPage
from .assigned_page import AssignedPage
from .checklist.page import ChecklistPage
from .context import Context
from .errors import message_for
from .home_page import HomePage
from .i18n import _
from .new_assessment_dialog import NewAssessmentDialog
from .settings_dialog import SettingsDialog
from .results_page import ResultsPage
from .templates_page import TemplatesPage

HOME, ASSIGNED, TEMPLATES, CHECKLIST = range(4)     # sidebar rows = page indices
REVIEW = 4                                          # the supervisor's desk (ui/review)
RESULTS = 5                                         # the laptop's results (ui/results_page)
ACTIONS = 6                                         # corrective actions (ui/actions_page)


class MainWindow(QMainWindow):
    def __init__(self, ctx: Context):
        super().__init__()
        self.ctx = ctx
        self.checklist: ChecklistPage | None = None
        self.resize(1366, 768)
        self.setMinimumSize(QSize(1024, 640))
        ctx.saved.connect(self._saved)
        ctx.notice.connect(self.show_notice)
        ctx.runner.busy_changed.connect(self._busy)
        ctx.data_changed.connect(self._data_changed)
        self._build()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.setWindowTitle(f"{_('Assessor')} {__version__}")
        self._build_top_bar()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(190)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.sidebar.setWordWrap(True)
        for _label in range(7):
            self.sidebar.addItem(QListWidgetItem(""))
        self.sidebar.item(CHECKLIST).setHidden(True)
        self.sidebar.currentRowChanged.connect(self._sidebar_changed)
        self.pages = QStackedWidget()
        self.home = HomePage(self.ctx)
        self.home.open_requested.connect(self.open_assessment)
        self.home.new_requested.connect(self.new_assessment)
        self.home.demo_requested.connect(self.load_demo)
        self.home.counts_changed.connect(lambda n: self._set_count(HOME, _("Assessments"), n))
        self.templates = TemplatesPage(self.ctx)
        self.templates.counts_changed.connect(lambda n: self._set_count(TEMPLATES, _("Templates"), n))
        self.assigned = AssignedPage(self.ctx)
        self.assigned.counts_changed.connect(self._assigned_count)
        self.assigned.start_requested.connect(self.start_assignment)
        self.assigned.open_requested.connect(self.open_assessment)
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.assigned)
        self.pages.addWidget(self.templates)
        self._add_review_page()
        self.results_page = ResultsPage(self.ctx)        # page index RESULTS, after the review
        self.results_page.counts_changed.connect(lambda n: self._set_count(RESULTS, _("Results"), n))
        self.pages.addWidget(self.results_page)
        self.actions_page = ActionsPage(self.ctx)        # page index ACTIONS, after the results
        self.actions_page.counts_changed.connect(
            lambda n: self._set_count(ACTIONS, _("Corrective actions"), n or None))
        self.actions_page.followup_requested.connect(self.new_followup)
        self.actions_page.reload()
        self.pages.addWidget(self.actions_page)
        self.home.actions_requested.connect(lambda: self.sidebar.setCurrentRow(ACTIONS))
        self.home.followup_requested.connect(self.new_followup)
        row.addWidget(self.sidebar)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._set_count(HOME, _("Assessments"), None)
        self.templates.reload()
        self.assigned.reload()
        self.sidebar.setCurrentRow(HOME)
        self._build_status_bar()

    def _add_review_page(self) -> None:
        """The Review row sits after the checklist row; its page index equals its row (a
        placeholder takes the checklist's index until an assessment is opened)."""
        from .review.review_page import ReviewPage
        self.pages.addWidget(QWidget())           # index CHECKLIST, replaced when one opens
        self.review = ReviewPage(self.ctx)
        self.review.counts_changed.connect(self._review_count)
        self.pages.addWidget(self.review)
        self._review_count(self.review.counts.get("submitted", 0))

    def _review_count(self, count: int) -> None:
        """Shown to supervisors, and to anyone holding team work."""
        self._set_count(REVIEW, _("Review"), count)
        held = any(self.review.counts.get(k) for k in ("submitted", "returned", "approved"))
        role = self.ctx.store.sync_settings().get("role")
        self.sidebar.item(REVIEW).setHidden(not (held or role in ("supervisor", "admin")))

    def _build_top_bar(self) -> None:
        bar = QToolBar(_("Top bar"))
        bar.setObjectName("topBar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = QAction(_("+ New assessment"), self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.setToolTip(_("New assessment (Ctrl+N)"))
        self.new_action.triggered.connect(self.new_assessment)
        bar.addAction(self.new_action)
        self.sync_action = QAction(_("Sync"), self)
        self.sync_action.triggered.connect(self.open_sync)
        self.sync_action.setVisible(extensions.available(extensions.SYNC_MODULE))
        bar.addAction(self.sync_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.find_action = QAction(_("Find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setToolTip(_("Find (Ctrl+F)"))
        self.find_action.triggered.connect(self.find)
        bar.addAction(self.find_action)
        self.settings_action = QAction(_("Settings"), self)
        self.settings_action.triggered.connect(self.open_settings)
        bar.addAction(self.settings_action)
        self.about_action = QAction(_("About"), self)
        self.about_action.setToolTip(_("About Assessor: version and data folder"))
        self.about_action.triggered.connect(self.show_about)
        bar.addAction(self.about_action)
        self.top_bar = bar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.saved_label = QLabel(_("Saved at {time}").format(time=self.ctx.last_saved)
                                  if self.ctx.last_saved else _("Every change is saved as you make it"))
        self.busy_label = QLabel("")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setFixedWidth(120)
        self.busy_bar.setVisible(False)
        self.sync_label = QLabel("")
        self.folder_label = QLabel(_("Data folder: {path}").format(path=self.ctx.data_dir))
        self.folder_label.setObjectName("muted")
        status.addWidget(self.saved_label)
        status.addWidget(self.busy_bar)
        status.addWidget(self.busy_label)
        status.addPermanentWidget(self.sync_label)
        status.addPermanentWidget(self.folder_label)
        self.show_sync_state()

    def show_sync_state(self) -> None:
        """The status bar's sync state: offline / up to date / N waiting / failed: reason."""
        sync = extensions.load(extensions.SYNC_MODULE)
        state = getattr(sync, "sync_state_text", None) or getattr(sync, "sync_state", None)
        if state is not None:
            try:
                self.sync_label.setText(str(state(self.ctx.data_dir)))
            except Exception as exc:  # noqa: BLE001 - the sync state never blocks the window
                self.sync_label.setText(message_for(exc))

    def _set_count(self, row: int, label: str, count: int | None) -> None:
        self.sidebar.item(row).setText(label if count is None else f"{label}  ({count})")

    def _saved(self, at: str) -> None:
        self.saved_label.setText(_("Saved at {time}").format(time=at))

    def show_notice(self, text: str) -> None:
        """A passing message in the status bar (what Ctrl+Z undid), for a few seconds."""
        self.statusBar().showMessage(text, 8000)

    def _busy(self, count: int, label: str) -> None:
        self.busy_bar.setVisible(count > 0)
        self.busy_label.setText(label if count > 0 else "")

    def _data_changed(self) -> None:
        self.home.reload()
        if self.checklist is not None:
            self.checklist.header.refresh_titles() if self._checklist_exists() else \
                self.close_checklist()

    def _checklist_exists(self) -> bool:
        try:
            self.ctx.store.get(self.checklist.uuid)
        except AssessmentNotFound:
            return False
        return True

    def close_checklist(self) -> None:
        """Close the open checklist (its draft was deleted): the sidebar entry goes too."""
        page, self.checklist = self.checklist, None
        if page is None:
            return
        self.pages.removeWidget(page)
        page.close_page(save=False)
        page.deleteLater()
        self.sidebar.item(CHECKLIST).setHidden(True)
        self.ctx.store.set_setting("last_assessment", None)
        if self.sidebar.currentRow() == CHECKLIST:
            self.sidebar.setCurrentRow(HOME)

    def _sidebar_changed(self, row: int) -> None:
        if row == CHECKLIST and self.checklist is None:
            row = HOME
        self.pages.setCurrentIndex(row)
        if row == HOME and self.checklist is not None:
            self.ctx.store.set_setting("last_assessment", None)
            self.home.reload()
        elif row == CHECKLIST:
            self.ctx.store.set_setting("last_assessment", self.checklist.uuid)
        elif row == ASSIGNED:
            self.assigned.reload()
        elif row == REVIEW:
            self.review.reload()
        elif row == RESULTS:
            self.results_page.reload()
        elif row == ACTIONS:
            self.actions_page.reload()

    # ------------------------------------------------------------------ actions
    def new_assessment(self, *, exec_dialog: bool = True) -> NewAssessmentDialog:
        dialog = NewAssessmentDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self._created(dialog.created_uuid))
        if exec_dialog:
            dialog.exec()
        return dialog

    def _created(self, uuid: str | None) -> None:
        if uuid:
            self.home.reload()
            self.open_assessment(uuid)

    def open_assessment(self, uuid: str, position: dict | None = None) -> ChecklistPage | None:
        try:
            page = ChecklistPage(self.ctx, uuid, position=position)
        except AssessmentNotFound:
            self.ctx.store.set_setting("last_assessment", None)
            return None
        page.back_requested.connect(lambda: self.sidebar.setCurrentRow(HOME))
        page.new_requested.connect(self.new_assessment)
        placeholder = self.pages.widget(CHECKLIST)      # the old checklist, or a placeholder
        self.pages.removeWidget(placeholder)
        if self.checklist is not None:
            self.checklist.close_page()
        placeholder.deleteLater()
        self.checklist = page
        self.pages.insertWidget(CHECKLIST, page)
        item = self.sidebar.item(CHECKLIST)
        unit = page.assessment.unit.get("unit") or ""
        item.setText(_("Checklist") + "\n" + (unit if len(unit) <= 22 else unit[:21] + "…"))
        item.setToolTip(unit)
        item.setHidden(False)
        self.sidebar.setCurrentRow(CHECKLIST)
        self.pages.setCurrentWidget(page)
        page.focus_items()
        return page

    def new_followup(self, unit: str) -> ChecklistPage | None:
        """A follow-up visit of ``unit`` listing its open corrective actions, opened in the
        checklist."""
        try:
            uid, _items = self.ctx.store.create_followup(unit)
        except UserError as exc:   # one clear message, nothing created
            self.ctx.dialogs.error(self, message_for(exc))
            return None
        self.ctx.mark_saved()
        self.home.reload()
        return self.open_assessment(uid)

    def find(self) -> None:
        if self.pages.currentWidget() is self.checklist and self.checklist is not None:
            self.checklist.start_find()
        else:
            self.sidebar.setCurrentRow(HOME)
            self.home.focus_search()

    def open_settings(self, *, exec_dialog: bool = True) -> SettingsDialog:
        dialog = SettingsDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self.apply_language(dialog.chosen_language))
        if exec_dialog:
            dialog.exec()
        return dialog

    def about_text(self) -> str:
        return "<br>".join([
            f"<b>{_('Assessor')} {__version__}</b>",
            _("Offline-first field compliance assessments."),
            _("Data folder: {path}").format(path=self.ctx.data_dir),
        ])

    def show_about(self, *, exec_dialog: bool = True) -> QMessageBox:
        """The About box: the program's version and the data folder in use."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, _("About Assessor"), self.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        if exec_dialog:
            box.exec()
        return box

    def open_sync(self):
        """One Sync window: a second click brings the open one to the front (never a second
        copy with stale results). Wide enough for a real https address."""
        current = getattr(self, "_sync_dialog", None)
        if current is not None and current.isVisible():
            current.raise_()
            current.activateWindow()
            return current
        module = extensions.load(extensions.SYNC_MODULE)
        if module is not None:
            dialog = module.open_sync_dialog(self, self.ctx.data_dir)
            self._sync_dialog = dialog
            dialog.setMinimumWidth(620)
            server = getattr(getattr(dialog, "panel", None), "server", None)
            if server is not None:
                server.setMinimumWidth(420)
            self.home.reload()
            panel = getattr(dialog, "panel", None)
            if panel is not None:        # show what the sync pulled once it ends
                panel.finished.connect(self.refresh_after_sync)
            return dialog
        return None

    def refresh_after_sync(self) -> None:
        """A sync ended: new assignments, status changes and review comments may have arrived."""
        self.home.reload()
        self.templates.reload()
        self.assigned.reload()
        self.review.reload()
        self.actions_page.reload()
        self.show_sync_state()
        if self.checklist is not None:
            self.checklist.refresh_from_sync()

    def _assigned_count(self, count: int) -> None:
        """The Assigned entry shows when assignments arrived, or always once a server is set."""
        self._set_count(ASSIGNED, _("Assigned"), count)
        connected = bool(self.ctx.store.sync_settings().get("server"))
        self.sidebar.item(ASSIGNED).setHidden(not (count or connected))

    def start_assignment(self, assignment: dict, *,
                         exec_dialog: bool = True) -> NewAssessmentDialog:
        """The New-assessment dialog prefilled from an assignment; its assessment takes the
        assignment's id as uuid, which is how the Assigned page knows it was started."""
        dialog = NewAssessmentDialog(self.ctx, self)
        dialog.prefill_assignment(assignment)
        dialog.accepted.connect(lambda: (self.assigned.reload(),
                                         self._created(dialog.created_uuid)))
        if exec_dialog:
            dialog.exec()
        return dialog

    def load_demo(self) -> None:
        from assessor_app.demo import load_demo

        def work():
            store = self.ctx.worker_store()
            try:
                return load_demo(store, again=True)  # the user asked for it explicitly
            finally:
                store.close()

        def done(made):
            self.ctx.mark_saved()
            self.home.reload()
            self.templates.reload()

        self.ctx.runner.run(work, done, lambda e: self.ctx.dialogs.show_exception(self, e),
                            label=_("Loading the demo assessments…"))

    # ------------------------------------------------------------------ language and state
    def apply_language(self, lang: str) -> None:
        """Switch the language of every screen: rebuild the pages and come back to the same place."""
        self.ctx.store.set_setting("language", lang)
        set_language(lang)
        from . import qt_translations
        qt_translations.install(lang)
        position = self.checklist.position() if self.checklist is not None else None
        on_checklist = self.pages.currentWidget() is self.checklist and self.checklist is not None
        if self.checklist is not None:
            self.checklist.close_page()
            self.checklist = None
        self.review.shutdown()
        self.removeToolBar(self.top_bar)
        self.top_bar.deleteLater()
        self.setStatusBar(None)            # deletes the old one
        self._build()
        self.home.reload()
        if on_checklist and position:
            self.open_assessment(position["uuid"], position)
        self.ctx.language_changed.emit(lang)

    def restore(self) -> None:
        """Reopen where the inspector left off (the last open assessment, section and item)."""
        self.home.reload()
        uuid = self.ctx.setting("last_assessment")
        if uuid:
            position = self.ctx.setting("last_position") or {}
            self.open_assessment(uuid, position if position.get("uuid") == uuid else None)

    # ------------------------------------------------------------------ placement
    MAXIMISE_UP_TO = 1440          # px: on a screen this wide or narrower, open maximised

    def show_placed(self) -> None:
        """Show the window where it was last (size, position, maximised), or else maximised on
        a small screen (a 1366x768 laptop) and 1366x768 centred on a larger one."""
        from PySide6.QtCore import QByteArray
        saved = self.ctx.setting("window_geometry")
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            if self.ctx.setting("window_maximised", False):
                self.showMaximized()
            else:
                self.show()
            return
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None and screen.width() <= self.MAXIMISE_UP_TO:
            self.showMaximized()
        else:
            self.show()

    def remember_placement(self) -> None:
        """Keep size, position and maximised state for the next start (a convenience: a store
        already closed, when a harness closes the window late, never stops the window closing)."""
        import sqlite3
        from assessor_app.errors import StoreError
        try:
            self.ctx.store.set_setting("window_geometry",
                                       bytes(self.saveGeometry().toBase64()).decode("ascii"))
            self.ctx.store.set_setting("window_maximised", self.isMaximized())
        except (sqlite3.Error, StoreError):
            pass

    def closeEvent(self, event) -> None:
        self.remember_placement()
        if self.checklist is not None:
            self.checklist.close_page()
        self.review.shutdown()
        self.ctx.runner.wait(10000)
        super().closeEvent(event)


__all__ = ["MainWindow"]
