"""Page images of every report page type, both languages, for docs/screenshots/report-*.png.

Builds the demo in a temporary data folder, makes a throw-away CA, signs a completed report as
inspector and supervisor, renders the pages with pdftoppm and keeps one image per page type.
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
        done = next(r for r in rows if r["status"] == "completed" and r["zone"] == "yellow")
        draft = next(r for r in rows if r["status"] == "draft")
        pki = work / "pki"
        init_ca(pki, "Ombudsman RI (contoh)", PASS)
        issue_person(pki, PASS, name="Siti Nurhaliza", role="inspector", out_p12=work / "i.p12",
                     p12_passphrase=b"inspector passphrase")
        issue_person(pki, PASS, name="Sari Wulandari", role="supervisor", out_p12=work / "s.p12",
                     p12_passphrase=b"supervisor passphrase")
        for lang in ("id", "en"):
            pdf = build_report(store, done["uuid"], lang=lang).pdf
            pdf = sign_report(pdf, LocalP12Signer.open(work / "i.p12", b"inspector passphrase"),
                              "inspector", crl_der=current_crl(pki))
            pdf = sign_report(pdf, LocalP12Signer.open(work / "s.p12", b"supervisor passphrase"),
                              "supervisor", crl_der=current_crl(pki))
            (work / f"r-{lang}.pdf").write_bytes(pdf)
            pick(work / f"r-{lang}.pdf", lang, args.out, "report-", PAGES)
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
