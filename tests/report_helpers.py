"""Shared builders for the report tests: a CA with people, a completed assessment, a big template."""

from __future__ import annotations

import shutil
import subprocess

from assessor_app.demo import demo_photo, demo_signature
from assessor_app.pki import init_ca, issue_person
from assessor_app.templates.loader import build_template

CA_PASS = b"ca passphrase 123"
P12_PASS = b"p12 passphrase 456"

LONG_NOTE = ("Papan informasi standar pelayanan dipasang di belakang loket sehingga tidak terlihat "
             "oleh pengguna layanan yang mengantre; sebagian lembar sudah pudar dan robek. ") * 12


def make_ca(root_dir, org="Ombudsman RI"):
    pki = root_dir / "pki"
    init_ca(pki, org, CA_PASS)
    return pki


def issue(pki, out, name, role, **kw):
    return issue_person(pki, CA_PASS, name=name, role=role, out_p12=out, p12_passphrase=P12_PASS, **kw)


def completed_office(tmp_path):
    """A completed mini assessment in tmp_path/data, its CA in data/pki and two people's .p12
    files (rina.p12 inspector, budi.p12 supervisor) in tmp_path. Returns (data, uid, pki)."""
    from helpers import filled_mini, mini_store
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.complete(uid)
    store.close()
    data = tmp_path / "data"
    pki = make_ca(data)
    issue(pki, tmp_path / "rina.p12", "Rina Kartika", "inspector")
    issue(pki, tmp_path / "budi.p12", "Budi Santoso", "supervisor")
    return data, uid, pki


def big_template(n_items=90) -> dict:
    """A template with one long section, so its table must split across pages."""
    items = [{"id": f"q{i}", "type": "yes_no_na", "required": True,
              "text": {"id": f"Indikator nomor {i}: apakah informasi pelayanan ditampilkan dengan "
                             f"jelas dan mudah dibaca oleh pengguna layanan berkebutuhan khusus?",
                       "en": f"Indicator {i}: is the service information displayed clearly?"},
              "legal": "UU 25/2009 Pasal 21"} for i in range(n_items)]
    items.append({"id": "uraian", "type": "text", "text": {"id": "Uraian", "en": "Description"}})
    return {"format": "assessor-template/1", "id": "besar", "version": "1.0",
            "title": {"id": "Instrumen besar", "en": "Big instrument"},
            "bands": [{"id": "hijau", "label": {"id": "Tinggi", "en": "High"}, "min": 81, "max": 100,
                       "colour": "#2E7D32", "zone": "green"},
                      {"id": "kuning", "label": {"id": "Sedang", "en": "Moderate"}, "min": 51,
                       "max": 80.99, "colour": "#F9A825", "zone": "yellow"},
                      {"id": "merah", "label": {"id": "Rendah", "en": "Low"}, "min": 0, "max": 50.99,
                       "colour": "#C62828", "zone": "red"}],
            "sections": [{"id": "utama", "title": {"id": "Bagian utama", "en": "Main part"},
                          "items": items}]}


def filled_big(store, n_items=90) -> str:
    template = store.import_template(build_template(big_template(n_items), "besar.yaml"))
    uid = store.create_assessment(template, unit={"unit": "Kantor Besar", "agency": "Pemkab Contoh",
                                                  "address": "Jl. Panjang 99"},
                                  visit_dates=["2026-11-03"], inspectors=["Rina Kartika"])
    for i in range(n_items):
        store.set_answer(uid, f"q{i}", ["yes", "no", "na"][i % 3])
    store.set_answer(uid, "uraian", LONG_NOTE)
    store.set_note(uid, "q1", LONG_NOTE)
    for k in range(3):
        store.add_photo(uid, "q1", demo_photo(f"foto {k}", k), caption=f"Foto {k}",
                        original_name="p.jpg")
    store.sign(uid, "inspector", name="Rina", png=demo_signature("Rina"))
    return uid


def pdf_pages_text(path) -> list[str]:
    """Text of each page (poppler's pdftotext), or None when poppler is missing."""
    if shutil.which("pdftotext") is None:
        return None
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")[:-1]
