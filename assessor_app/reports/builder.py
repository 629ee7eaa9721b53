"""Build the report PDF: gather, draw with reportlab, package as PDF/A-3b.

Typical use (any thread that owns ``store``)::

    report = build_report(store, uuid, lang="id")
    atomic_write("laporan.pdf", report.pdf)
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path


from .cover import cover
from .data import ReportContext, gather
from .details import details
from .findings import findings
from .followup import followup
from .images import report_images
from .layout import ReportDoc, make_canvas_class
from .methodology import methodology
from .package import package
from .photos import photos
from .signatures import signatures
from .style import register_fonts
from .summary import summary


@dataclass
class Report:
    pdf: bytes
    report_no: str
    data_hash: str
    pages: int
    draft: bool
    lang: str
    kind: str = "full"


def render(ctx: ReportContext, images: dict[str, bytes] | None = None,
           progress=None) -> tuple[bytes, int]:
    """Draw the report with reportlab; returns ``(pdf_bytes, page_count)``. ``progress(pages)``
    is called as each page is laid out (any thread; for a progress display)."""
    register_fonts()
    if images is None and ctx.kind != "full":
        images = {}
    if images is None:
        images = report_images(ctx.photos, ctx.evidence_dir)
    buf = io.BytesIO()
    doc = ReportDoc(buf, ctx, title=ctx.report_no, author=ctx.organisation)
    width = doc.width
    story = []
    story += cover(ctx, width)
    story += summary(ctx, width)
    if ctx.kind == "full":
        story += details(ctx, width)
    story += findings(ctx, width)
    story += followup(ctx, width)
    story += signatures(ctx, width)
    story += methodology(ctx, width)
    if ctx.kind == "full":
        story += photos(ctx, width, images)
    doc.build(story, canvasmaker=make_canvas_class(ctx, progress))
    return buf.getvalue(), doc.page


def build_report(store, uuid: str, *, lang: str | None = None, organisation: str | None = None,
                 logo_path: str | Path | None = None, printed_total_override=None,
                 kind: str = "full", progress=None) -> Report:
    """The PDF/A-3b report of one assessment. ``store`` must belong to the calling thread.

    ``kind`` is ``"full"`` (details per sample, photo appendix) or ``"summary"`` (cover, summary,
    findings, signatures, method: at most 8 pages for the shipped instruments). ``progress(n)``
    is told each page laid out. ``printed_total_override`` exists for tests only (a report whose
    printed score lies)."""
    ctx = gather(store, uuid, lang=lang, organisation=organisation, logo_path=logo_path, kind=kind)
    ctx.printed_total_override = printed_total_override
    raw, pages = render(ctx, progress=progress)
    return Report(package(raw, ctx), ctx.report_no, ctx.data_hash, pages, ctx.draft, ctx.lang,
                  ctx.kind)
