"""Demo data: a handful of realistic assessments of fictional units, in different states and zones.

Everything goes through the normal store methods (validated answers, history, evidence import),
so the demo is also a smoke test of the whole core.
"""

from __future__ import annotations

import io
import math
import random
from datetime import date, timedelta

from PIL import Image, ImageDraw

from .errors import TemplateNotFound
from .templates.model import Item

# (template id, agency, unit, address, quality 0..1, final status, inspectors)
DEMO_UNITS = [
    ("ori_penilaian_2022", "Pemerintah Kota Samarinda Baru", "Dinas Kependudukan dan Pencatatan Sipil",
     "Jl. Merdeka No. 12, Samarinda Baru", 0.97, "approved", ["Rina Kartika", "Agus Salim"]),
    ("ori_penilaian_2022", "Pemerintah Kabupaten Lembah Hijau",
     "Dinas Penanaman Modal dan PTSP", "Jl. Diponegoro No. 5, Lembah Hijau", 0.72, "submitted",
     ["Rina Kartika"]),
    ("ori_penilaian_2022", "Pemerintah Kabupaten Pesisir Timur", "RSUD Pesisir Timur",
     "Jl. Pelabuhan No. 1, Pesisir Timur", 0.30, "returned", ["Dedi Pratama"]),
    ("ori_kepatuhan_2021", "Pemerintah Kota Bukit Indah", "Kantor Kecamatan Bukit Indah Utara",
     "Jl. Cendana No. 8, Bukit Indah", 0.93, "completed", ["Dedi Pratama"]),
    ("ori_kepatuhan_2021", "Pemerintah Kabupaten Sungai Jernih", "Puskesmas Sukamaju",
     "Jl. Raya Sukamaju Km 3, Sungai Jernih", 0.62, "completed", ["Siti Nurhaliza"]),
    ("ori_kepatuhan_2021", "Pemerintah Kabupaten Sungai Jernih", "Kantor Samsat Sungai Jernih",
     "Jl. Pahlawan No. 40, Sungai Jernih", 0.25, "draft", ["Siti Nurhaliza"]),
    ("k3_kebakaran", "PT Contoh Sejahtera", "Gudang Logistik Cikarang",
     "Kawasan Industri Blok C-7, Cikarang", 0.80, "draft", ["Budi Santoso"]),
]

PRODUCTS = ["KTP-el", "Akta Kelahiran", "Kartu Keluarga", "Izin Usaha", "Surat Pindah"]
#: realistic free-text answers for the shipped templates' text items ("{label}" = the sample)
TEXT_ANSWERS = {
    "nama_produk": "{label}", "pr_nama_produk": "{label}",
    "kp_jabatan": "Petugas loket pelayanan", "pd_jabatan": "Pengelola pengaduan",
    "ou_layanan": "Pengurusan dokumen kependudukan",
    "apar_catatan": "Dua APAR di gudang belakang tertutup tumpukan palet.",
}


def demo_photo(label: str, seed: int) -> bytes:
    """A synthetic 1600x1200 'photo' (gradient and a label) as JPEG bytes."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (1600, 1200))
    base = [rnd.randint(60, 200) for _ in range(3)]
    draw = ImageDraw.Draw(img)
    for y in range(0, 1200, 8):
        shade = tuple(max(0, min(255, c + (y // 20) - 30)) for c in base)
        draw.rectangle([0, y, 1600, y + 8], fill=shade)
    draw.rectangle([100, 400, 1500, 800], fill=(250, 250, 245))
    draw.text((140, 560), label[:80], fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def demo_signature(name: str) -> bytes:
    """A drawn-looking signature as a transparent PNG."""
    img = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    h = sum(map(ord, name))
    pts = [(40 + x * 5, 100 + 45 * math.sin(x / (6 + h % 5)) * math.cos(x / 17)) for x in range(100)]
    draw.line(pts, fill=(20, 40, 120, 255), width=4)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _answer_for(item: Item, rnd: random.Random, quality: float):
    good = rnd.random() < quality
    if item.type in ("yes_no", "yes_no_na"):
        if item.allow_na and rnd.random() < 0.05:
            return "na"
        return "yes" if good else "no"
    if item.type == "scale":
        values = sorted(o.value for o in item.options if not o.na)
        return values[-1] if good else rnd.choice(values[:-2] or values[:1])
    if item.type == "choice":
        scored = sorted((o for o in item.options if not o.na), key=lambda o: o.score or 0)
        return scored[-1].value if good else scored[0].value
    if item.type == "multi_choice":
        vals = [o.value for o in item.options if not o.na and (o.score or 0) > 0]
        return vals if good else vals[:1]
    if item.type == "number":
        lo = item.pass_min if item.pass_min is not None else (item.min or 0)
        hi = item.pass_max if item.pass_max is not None else (item.max if item.max is not None else lo + 10)
        value = lo if good else (item.min if item.min is not None and item.min < lo else hi + 1)
        if item.max is not None:
            value = min(value, item.max)
        return int(value) if float(value).is_integer() else value
    if item.type == "text":
        return TEXT_ANSWERS.get(item.id, "Diamati langsung di loket pelayanan.")
    if item.type == "date":
        return (date(2026, 11, 2) - timedelta(days=rnd.randint(10, 300))).isoformat()
    if item.type == "location":
        return {"lat": -6.2 - rnd.random() / 10, "lon": 106.8 + rnd.random() / 10, "accuracy": 8}
    return None


def load_demo(store, *, again: bool = False) -> list[str]:
    """Create the demo assessments in ``store`` (installs the default templates if needed).

    Loading twice is a no-op (returns ``[]``) unless ``again`` is true."""
    store.install_default_templates()
    if store.get_setting("demo_loaded") and not again:
        return []
    made = []
    for n, (tid, agency, unit, address, quality, final, inspectors) in enumerate(DEMO_UNITS):
        try:
            template = store.get_template(tid)
        except TemplateNotFound:
            continue
        rnd = random.Random(1000 + n)
        samples = {}
        for group in template.sample_groups():
            if group.id.startswith(("proses", "produk")) or "produk" in group.title.id.lower():
                samples[group.id] = PRODUCTS[:group.sample.default]
        visit = (date(2026, 10, 6) + timedelta(days=3 * n)).isoformat()
        uid = store.create_assessment(template, unit={"agency": agency, "unit": unit, "address": address},
                                      visit_dates=[visit], inspectors=inspectors, samples=samples)
        a = store.get(uid)
        counts = {g: len(v) for g, v in a.samples.items()}
        partial = final == "draft"
        for item in template.walk_items():
            reps = counts.get(item.sample_group, 1) if item.sample_group else 1
            for s in range(reps):
                if partial and rnd.random() < 0.35:
                    continue
                value = _answer_for(item, rnd, quality)
                if isinstance(value, str) and "{label}" in value:
                    value = value.format(label=a.samples.get(item.sample_group, [""] * (s + 1))[s])
                if item.type == "photo":
                    store.add_photo(uid, item.id, demo_photo(item.text.id, n * 100 + s), sample=s,
                                    caption="Foto demo", original_name="demo.jpg")
                    continue
                if item.type == "signature" or value is None:
                    continue
                store.set_answer(uid, item.id, value, sample=s)
        _evidence_and_findings(store, uid, template, n, partial)
        if not partial:
            store.sign(uid, "inspector", name=str(inspectors[0]), png=demo_signature(inspectors[0]),
                       title="Asisten Ombudsman")
            store.sign(uid, "representative", name="Kepala " + unit.split(" ")[0],
                       png=demo_signature(unit), title="Kepala Unit")
            store.complete(uid)
            for step in {"submitted": ["submitted"], "approved": ["submitted", "approved"],
                         "returned": ["submitted", "returned"]}.get(final, []):
                store.set_status(uid, step, reason="Demo: data pendukung perlu dilengkapi"
                                 if step == "returned" else "")
        store.score(uid)
        made.append(uid)
    store.set_setting("demo_loaded", True)
    return made


def _evidence_and_findings(store, uid, template, n, partial) -> None:
    from .scoring import score as score_sheet
    result = score_sheet(template, store.get(uid).sheet())
    for item_id, sample, need, have in result.completeness.evidence_missing:
        for k in range(need - have):
            store.add_photo(uid, item_id, demo_photo(template.items[item_id].text.id, n * 1000 + k),
                            sample=sample, caption="Kondisi di lokasi", original_name="foto.jpg")
    failed = [x for x in result.items.values() if x.relevant and x.failed][:8]
    for x in failed:
        defaults = store.finding_defaults(uid, x.item.id)
        if defaults["text"]:
            store.add_finding(uid, x.item.id, sample=x.sample, text=defaults["text"],
                              action=defaults["action"], responsible="Kepala Unit",
                              due_date="2027-01-31")
