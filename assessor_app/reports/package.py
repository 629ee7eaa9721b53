"""PDF/A-3b packaging with pikepdf: output intent, XMP identification, the attached exchange JSON
(and drawn signature images), and the two empty signature fields.

reportlab cannot write PDF/A by itself (no output intent, no associated files), and attaching
with pyHanko would force PDF 2.0, so this step runs after reportlab and before any signature.
Both signature fields are made here, in the unsigned file: the inspector's (to be a certification
signature that still allows form filling) and the supervisor's, whose ``/Lock`` (all fields,
``P 1``) makes the countersignature lock the document.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

DATA_NAME = "assessment.json"
FIELDS = {"inspector": "Inspector", "supervisor": "Supervisor"}


def field_name(key: str) -> str:
    """The PDF field of a signature box: ``inspector`` -> ``Inspector``, ``inspector-2`` ->
    ``Inspector 2`` (every inspector named on the report has a box), ``supervisor`` ->
    ``Supervisor``."""
    if key in FIELDS:
        return FIELDS[key]
    role, _sep, number = key.partition("-")
    return f"{FIELDS[role]} {number}"


def _icc_profile() -> bytes:
    shipped = Path(pikepdf.__file__).parent / "pdfa" / "data" / "sRGB.icc"
    if shipped.is_file():
        return shipped.read_bytes()
    from PIL import ImageCms
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _pdf_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")


def _attach(pdf: pikepdf.Pdf, name: str, data: bytes, mime: str, description: str,
            relationship: Name, moment: datetime) -> pikepdf.Object:
    spec = pikepdf.AttachedFileSpec(
        pdf, data, description=description, filename=name, mime_type=mime,
        creation_date=_pdf_date(moment), mod_date=_pdf_date(moment), relationship=relationship)
    pdf.attachments[name] = spec
    return pdf.attachments[name].obj


def _signature_field(pdf: pikepdf.Pdf, page: pikepdf.Page, name: str, rect, *, lock: bool,
                     tooltip: str) -> pikepdf.Object:
    x1, y1, x2, y2 = rect
    empty = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form,
                            BBox=Array([0, 0, x2 - x1, y2 - y1]), Resources=Dictionary())
    field = Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig, T=String(name),
                       TU=String(tooltip), Rect=Array([x1, y1, x2, y2]), F=4, P=page.obj,
                       AP=Dictionary(N=empty))
    if lock:
        field.Lock = pdf.make_indirect(Dictionary(Type=Name.SigFieldLock, Action=Name.All, P=1))
    field = pdf.make_indirect(field)
    if Name.Annots not in page.obj:
        page.obj.Annots = pdf.make_indirect(Array())
    page.obj.Annots.append(field)
    return field


def _content_bytes(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Stream):
        return contents.read_bytes()
    return b"".join(c.read_bytes() for c in contents)


def _drop_unused_base14_fonts(pdf: pikepdf.Pdf) -> None:
    """reportlab lists Helvetica (never embedded) in every page's fonts even when unused; PDF/A
    wants every font embedded, so an unused, unembedded font goes."""
    used = b"".join(_content_bytes(p) for p in pdf.pages)
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font")
        if fonts is None:
            continue
        for name in list(fonts.keys()):
            font = fonts[name]
            if "/FontDescriptor" in font or "/DescendantFonts" in font:
                continue
            if (name.encode() + b" ") not in used:
                del fonts[name]


def package(pdf_bytes: bytes, ctx) -> bytes:
    """Turn reportlab's output into the PDF/A-3b report of ``ctx`` (see the module docstring)."""
    moment = ctx.generated_at
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        _drop_unused_base14_fonts(pdf)
        for page in pdf.pages:
            if Name.Trans in page.obj:       # reportlab writes an empty, pointless /Trans
                del page.obj[Name.Trans]
        root = pdf.Root
        t = ctx.t
        title = f"{t('Assessment report')} {ctx.report_no}: {ctx.assessment.title()}"
        if Name.Trapped in pdf.docinfo:      # no XMP equivalent in PDF/A
            del pdf.docinfo[Name.Trapped]
        pdf.docinfo[Name.Title] = String(title)
        pdf.docinfo[Name.Author] = String(ctx.organisation or ", ".join(map(str, ctx.assessment.inspectors)))
        pdf.docinfo[Name.Subject] = String(ctx.text(ctx.template.title))
        pdf.docinfo[Name.Keywords] = String(f"{ctx.report_no}; sha256={ctx.data_hash}")
        pdf.docinfo[Name.Creator] = String("Assessor")
        pdf.docinfo[Name.CreationDate] = String(_pdf_date(moment))
        pdf.docinfo[Name.ModDate] = String(_pdf_date(moment))
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta.load_from_docinfo(pdf.docinfo)
            meta["pdfaid:part"] = "3"
            meta["pdfaid:conformance"] = "B"
        icc = pdf.make_stream(_icc_profile(), N=3)
        root.OutputIntents = Array([Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB"),
            RegistryName=String("http://www.color.org"),
            Info=String("sRGB IEC61966-2.1"), DestOutputProfile=icc)])
        root.Lang = String("id-ID" if ctx.lang == "id" else "en-GB")

        associated = [_attach(pdf, DATA_NAME, ctx.json_bytes, "application/json",
                              t("Assessment data (assessor-exchange/1), for verification"),
                              Name.Data, moment)]
        for role, sig in ctx.signatures.items():
            associated.append(_attach(pdf, f"signature-{role}.png", sig.png, "image/png",
                                      t("Drawn signature"), Name.Source, moment))
        root.AF = Array(associated)

        fields = Array()
        keys = sorted(ctx.sig_boxes, key=lambda k: (k == "supervisor", k))
        for key in keys:
            page_ix, rect = ctx.sig_boxes[key]
            fields.append(_signature_field(
                pdf, pdf.pages[page_ix], field_name(key), [round(v, 2) for v in rect],
                lock=(key == "supervisor"),
                tooltip=t("Electronic signature of the supervisor") if key == "supervisor"
                else t("Electronic signature of the inspector")))
        if len(fields):
            root.AcroForm = Dictionary(Fields=fields)
        out = io.BytesIO()
        pdf.save(out, min_version="1.7", fix_metadata_version=True)
        return out.getvalue()
