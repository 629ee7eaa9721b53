"""Page images of every report page type, both languages, for docs/screenshots/report-*.png.

Builds the demo in a temporary data folder, makes a throw-away CA, signs the approved 2022
assessment's full report as its two inspectors and the supervisor, renders the pages with
pdftoppm and keeps one image per page type (report-<page>-<lang>.png, the samples side by side in
report-details-samples-<lang>.png); the summary report's pages side by side in
report-summary-kind-<lang>.png; a draft's details page in report-draft-details-<lang>.png.
Usage: .venv/bin/python scripts/report_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from assessor_app.demo import load_demo
from assessor_app.i18n import translate
from assessor_app.pki import current_crl, init_ca, issue_person
from assessor_app.reports import LocalP12Signer, build_report, sign_report
from assessor_app.store import AssessmentStore

PAGES = {"summary": "Summary", "details": "Detailed results",
         "findings": "Findings and corrective actions", "photos": "Photo appendix",
         "signatures": "Signatures", "methodology": "Methodology"}
PASS = b"throw-away passphrase"


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")


def render(pdf: Path, page: int, target: Path) -> None:
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True)


def pick(pdf: Path, lang: str, out: Path, prefix: str, kinds) -> None:
    texts = page_texts(pdf)
    render(pdf, 1, out / f"{prefix}cover-{lang}.png")
    for kind in kinds:
        heading = translate(PAGES[kind], lang)
        for number, text in enumerate(texts, start=1):
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if heading in lines[:6]:
                render(pdf, number, out / f"{prefix}{kind}-{lang}.png")
                break


def samples_page(pdf: Path, lang: str, target: Path) -> None:
    """The first page whose table puts ten samples side by side (the service users)."""
    for number, text in enumerate(page_texts(pdf), start=1):
        if any(line.split()[-3:] == ["8", "9", "10"] for line in text.splitlines() if line.split()):
            render(pdf, number, target)
            return


def side_by_side(pdf: Path, target: Path) -> None:
    """Every page of a short report at a small size, side by side in one image."""
    from PIL import Image
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), f"{tmp}/p"], check=True)
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        images = [Image.open(f) for f in files]
        w, h = images[0].size
        sheet = Image.new("RGB", (len(images) * (w + 8) + 8, h + 16), (136, 136, 136))
        for i, im in enumerate(images):
            sheet.paste(im, (8 + i * (w + 8), 8))
        sheet.save(target)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="assessor-report-shots-"))
    try:
        store = AssessmentStore(work / "data", actor="screenshots")
        store.set_setting("organisation", "Ombudsman RI Perwakilan Kalimantan Timur")
        load_demo(store)
        rows = store.list_assessments()
        done = next(r for r in rows if r["status"] == "approved")
        draft = next(r for r in rows if r["status"] == "draft")
        pki = work / "pki"
        init_ca(pki, "Ombudsman RI (contoh)", PASS)
        people = [("Rina Kartika", "inspector"), ("Agus Salim", "inspector"),
                  ("Sari Wulandari", "supervisor")]
        for n, (name, role) in enumerate(people):
            issue_person(pki, PASS, name=name, role=role, out_p12=work / f"{n}.p12",
                         p12_passphrase=b"person passphrase")
        for lang in ("id", "en"):
            pdf = build_report(store, done["uuid"], lang=lang).pdf
            for n, (_name, role) in enumerate(people):
                pdf = sign_report(pdf, LocalP12Signer.open(work / f"{n}.p12", b"person passphrase"),
                                  role, crl_der=current_crl(pki))
            (work / f"r-{lang}.pdf").write_bytes(pdf)
            pick(work / f"r-{lang}.pdf", lang, args.out, "report-", PAGES)
            samples_page(work / f"r-{lang}.pdf", lang, args.out / f"report-details-samples-{lang}.png")
            short = work / f"s-{lang}.pdf"
            short.write_bytes(build_report(store, done["uuid"], lang=lang, kind="summary").pdf)
            side_by_side(short, args.out / f"report-summary-kind-{lang}.png")
            (work / f"d-{lang}.pdf").write_bytes(build_report(store, draft["uuid"], lang=lang).pdf)
            pick(work / f"d-{lang}.pdf", lang, args.out, "report-draft-", ["details"])
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for path in sorted(args.out.glob("report-*.png")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
