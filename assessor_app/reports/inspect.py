"""Read back what a report PDF says about itself: the attachments, the signature fields, and the
text and images inside the report's marked content (the printed score, the QR code).

Text is decoded through each font's ``/ToUnicode`` map, the way a PDF reader copies text, so
what is checked is what is printed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pikepdf

from ..i18n import _
from .errors import ReportError
from .package import DATA_NAME, FIELDS

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


@dataclass
class Marked:
    tag: str
    page: int
    text: str = ""
    images: list = field(default_factory=list)   # PIL images drawn inside


@dataclass
class ReportFacts:
    attachments: dict[str, bytes]
    fields: dict[str, bool]          # field name -> signed?
    marked: list[Marked]
    status: str | None               # assessment status in the embedded data

    def texts(self, tag: str) -> list[str]:
        return [m.text for m in self.marked if m.tag == tag]


def check_complete(data: bytes) -> None:
    """Refuse a file cut short (a broken download or copy): a PDF ends with ``%%EOF``. pikepdf
    would silently repair it; a truncated report is never what was signed."""
    if not data.startswith(b"%PDF"):
        raise ReportError(_("the file is not a PDF"))
    if b"%%EOF" not in data[-1024:]:
        raise ReportError(_("the file is incomplete (it was cut short, e.g. by an interrupted "
                            "download or copy); get the whole report again"))


def open_pdf(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        raise ReportError(_("the file is not a readable PDF ({error})").format(error=exc)) from None


def _to_unicode(font) -> dict[int, str]:
    table: dict[int, str] = {}
    stream = font.get("/ToUnicode")
    if stream is None:
        return table
    data = stream.read_bytes()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in _BFCHAR.findall(block):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in _BFRANGE.findall(block):
            start = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(start + i)
    return table


def marked_content(pdf: pikepdf.Pdf, tags: tuple[str, ...]) -> list[Marked]:
    """Every ``/Tag BMC ... EMC`` sequence with a tag in ``tags``: its text and images."""
    found: list[Marked] = []
    for ix, page in enumerate(pdf.pages):
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        fonts = resources.get("/Font", pikepdf.Dictionary())
        xobjects = resources.get("/XObject", pikepdf.Dictionary())
        cmaps: dict[str, dict[int, str]] = {}
        stack: list[Marked | None] = []
        font = None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BMC", "BDC"):
                tag = str(operands[0]).lstrip("/")
                stack.append(Marked(tag, ix) if tag in tags else None)
            elif op == "EMC":
                if stack:
                    done = stack.pop()
                    if done is not None:
                        found.append(done)
            elif op == "Tf":
                font = str(operands[0])
                if font not in cmaps and font in fonts:
                    cmaps[font] = _to_unicode(fonts[font])
            elif not stack or stack[-1] is None:
                continue
            elif op in ("Tj", "'", '"'):
                stack[-1].text += _decode(operands[-1], cmaps.get(font, {}))
            elif op == "TJ":
                for part in operands[0]:
                    if isinstance(part, pikepdf.String):
                        stack[-1].text += _decode(part, cmaps.get(font, {}))
            elif op == "Do":
                obj = xobjects.get(str(operands[0]))
                if obj is not None and obj.get("/Subtype") == pikepdf.Name.Image:
                    stack[-1].images.append(pikepdf.PdfImage(obj).as_pil_image())
    return found


def _decode(string, cmap: dict[int, str]) -> str:
    raw = bytes(string)
    if not cmap:
        return raw.decode("latin-1")
    return "".join(cmap.get(b, "") for b in raw)


def report_facts(data: bytes, tags: tuple[str, ...] = ()) -> ReportFacts:
    """What the (latest revision of the) PDF holds."""
    import json
    check_complete(data)
    with open_pdf(data) as pdf:
        attachments = {}
        for name, spec in pdf.attachments.items():
            attachments[name] = spec.get_file().read_bytes()
        fields = {}
        form = pdf.Root.get("/AcroForm")
        if form is not None:
            for f in form.get("/Fields", []):
                if f.get("/FT") == pikepdf.Name.Sig:
                    fields[str(f.get("/T"))] = f.get("/V") is not None
        marked = marked_content(pdf, tags) if tags else []
    status = None
    if DATA_NAME in attachments:
        try:
            status = json.loads(attachments[DATA_NAME])["assessment"]["status"]
        except (ValueError, KeyError, TypeError):
            status = None
    return ReportFacts(attachments, fields, marked, status)


__all__ = ["FIELDS", "Marked", "ReportFacts", "marked_content", "open_pdf", "report_facts"]
