"""The unit report's "Follow-up of corrective actions" section: a follow-up visit lists each
action with the observed state; an assessment with the compliance variable shows its counts."""

from __future__ import annotations

import pytest

from assessor_app import actions as A
from assessor_app.reports import build_report
from report_helpers import pdf_pages_text


def _store(tmp_path):
    from assessor_app.store import AssessmentStore
    store = AssessmentStore(tmp_path, actor="Rina")
    store.install_default_templates()
    acts = [A.Action(uuid=f"00000000-0000-0000-0000-00000000000{n}", source="finding", unit="U1",
                     text={"id": f"Pasang papan {n}", "en": f"Put up board {n}"}, due_date="2020-01-01")
            for n in (1, 2)]
    acts.append(A.with_state(A.Action(uuid="00000000-0000-0000-0000-000000000009", source="finding",
                                      unit="U1", text={"id": "x", "en": "x"}), "fully", "t", "x"))
    with store.transaction() as c:
        for a in acts:
            store._apply_action_change(c, a.to_dict())
    return store


def test_followup_section_in_both_languages(tmp_path):
    store = _store(tmp_path)
    fu, items = store.create_followup("U1")
    store.set_answer(fu, items[0], "partly")
    store.set_note(fu, items[0], "separuh terpasang")
    store.set_answer(fu, items[1], "not")
    uid = store.create_assessment("ori_penilaian_2022_tindak_lanjut", unit={"unit": "U1"})
    store.refresh_variables(uid)
    for lang, words in (("en", ("Follow-up of corrective actions", "Carried out partly",
                                "Not carried out", "Put up board 1", "separuh terpasang",
                                "Compliance of the actions followed up in this visit: 25.00")),
                        ("id", ("Tindak lanjut tindakan korektif", "Dilaksanakan sebagian",
                                "Tidak dilaksanakan", "Pasang papan 1",
                                "ditindaklanjuti dalam kunjungan ini: 25,00"))):
        path = tmp_path / f"fu-{lang}.pdf"
        path.write_bytes(build_report(store, fu, lang=lang).pdf)
        pages = pdf_pages_text(path)
        if pages is None:
            pytest.skip("poppler's pdftotext is not installed")
        text = " ".join(" ".join(pages).split())
        for w in words:
            assert w in text, (lang, w)
    path = tmp_path / "variant.pdf"
    path.write_bytes(build_report(store, uid, lang="en").pdf)
    text = " ".join(" ".join(pdf_pages_text(path)).split())
    # 1 fully (the third action), the two open ones overdue count as not: 1 / 3
    assert "33.33 = (1 carried out fully + 0.50 x 0 partly) / 3 applicable x 100" in text
    store.close()
