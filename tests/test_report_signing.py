"""Signing and verifying reports: real PDFs, a real CA, real pyHanko validation."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pikepdf
import pytest

from assessor_app.pki import (CertificateRejected, WrongPassphrase, ca_certificates, current_crl,
                              revoke)
from assessor_app.reports import (LocalP12Signer, Signer, SigningRefused, build_report, sign_report,
                                  verify_report)
from helpers import filled_mini, mini_store
from report_helpers import CA_PASS, P12_PASS, issue, make_ca


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sign")
    pki = make_ca(tmp)
    people = {}
    for key, name, role in [("rina", "Rina Kartika", "inspector"), ("budi", "Budi Santoso", "supervisor"),
                            ("yusuf", "Yusuf Hamid", "inspector")]:
        issue(pki, tmp / f"{key}.p12", name, role)
        people[key] = LocalP12Signer.open(tmp / f"{key}.p12", P12_PASS)
    issue(pki, tmp / "old.p12", "Lama Sekali", "inspector", days=1,
          now=datetime.now(timezone.utc) - timedelta(days=30))
    other = make_ca(tmp / "other", org="Organisasi Lain")
    issue(other, tmp / "stranger.p12", "Orang Asing", "inspector")
    store = mini_store(tmp)
    uid = filled_mini(store)
    draft = build_report(store, uid, lang="en").pdf
    store.complete(uid)
    report = build_report(store, uid, lang="id").pdf
    liar = build_report(store, uid, lang="id", printed_total_override="99.5").pdf
    team = filled_mini(store)      # two inspectors, one from outside the organisation's CA
    store.update_details(team, inspectors=["Yusuf Hamid", "Orang Asing"])
    store.complete(team)
    team_report = build_report(store, team, lang="en").pdf
    crl = current_crl(pki)
    first = sign_report(report, people["rina"], "inspector", crl_der=crl)
    both = sign_report(first, people["budi"], "supervisor", crl_der=crl)
    root, _ = ca_certificates(pki)
    yield {"tmp": tmp, "pki": pki, "people": people, "other": other, "store": store, "uid": uid,
           "draft": draft, "report": report, "liar": liar, "crl": crl, "first": first,
           "both": both, "root": root, "team_report": team_report}
    store.close()


def _problems(result) -> str:
    return json.dumps(result.to_json())


def test_signers_follow_the_protocol(world):
    assert isinstance(world["people"]["rina"], Signer)


def test_honest_two_signature_report_passes(world):
    result = verify_report(world["both"], world["root"], crls=[world["crl"]])
    assert result.ok, _problems(result)
    inspector, supervisor = result.signatures
    assert (inspector.field, inspector.signer, inspector.role) == ("Inspector", "Rina Kartika", "inspector")
    assert (supervisor.field, supervisor.signer, supervisor.role) == ("Supervisor", "Budi Santoso", "supervisor")
    for s in result.signatures:
        assert s.intact and s.trusted and not s.revoked and s.ok
    assert "Supervisor" in inspector.changes_after and "as allowed" in inspector.changes_after
    assert result.data.qr_ok and result.data.rescored_total == 65.0
    # the embedded CRL alone is enough for an auditor who has only root.pem
    assert verify_report(world["both"], world["root"]).ok


def test_first_signature_is_a_certification_and_the_second_locks(world):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import MDPPerm
    reader = PdfFileReader(io.BytesIO(world["both"]))
    first, second = reader.embedded_signatures
    assert first.docmdp_level == MDPPerm.FILL_FORMS
    assert second.sig_field["/Lock"]["/P"] == 1 and second.sig_field["/Lock"]["/Action"] == "/All"
    # the first revision is byte for byte the file the inspector signed
    assert world["both"].startswith(world["first"])
    with pikepdf.open(io.BytesIO(world["both"])) as pdf:
        assert pdf.pdf_version == "1.7"          # still PDF/A-3 (1.7), not moved to 2.0
        assert len(pdf.Root.DSS.CRLs) >= 1        # the CA's CRL travels inside


def test_one_flipped_byte_in_the_signed_range_is_caught(world):
    data = bytearray(world["both"])
    start = data.index(b"stream", len(data) // 3) + 200   # inside a stream of the first revision
    data[start] ^= 0x01
    result = verify_report(bytes(data), world["root"], crls=[world["crl"]])
    assert not result.ok
    assert not result.signatures[0].intact and not result.signatures[0].ok
    assert "changed" in result.signatures[0].problems[0]


def test_a_replaced_attachment_is_caught_when_rewritten(world):
    doc = json.loads(_attachment(world["both"]))
    doc["answers"][0]["value"] = "yes"
    with pikepdf.open(io.BytesIO(world["both"])) as pdf:
        spec = pdf.attachments["assessment.json"].obj
        spec.EF.F.write(json.dumps(doc).encode())
        out = io.BytesIO()
        pdf.save(out)
    result = verify_report(out.getvalue(), world["root"], crls=[world["crl"]])
    assert not result.ok
    assert not all(s.intact for s in result.signatures) or not result.signatures


def test_a_replaced_attachment_is_caught_in_an_incremental_update(world):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    doc = json.loads(_attachment(world["both"]))
    doc["answers"][0]["value"] = "yes"
    writer = IncrementalPdfFileWriter(io.BytesIO(world["both"]))
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    i = [str(names[k]) for k in range(0, len(names), 2)].index("assessment.json")
    spec = names[2 * i + 1]
    old = spec["/EF"]["/F"].get_object()
    new = generic.StreamObject({generic.NameObject(k): v for k, v in old.items()
                                if k not in ("/Length", "/Filter", "/DecodeParms")},
                               stream_data=json.dumps(doc).encode())
    ref = writer.add_object(new)
    spec["/EF"] = generic.DictionaryObject({generic.NameObject("/F"): ref,
                                            generic.NameObject("/UF"): ref})
    writer.update_container(spec)
    out = io.BytesIO()
    writer.write(out)
    result = verify_report(out.getvalue(), world["root"], crls=[world["crl"]])
    assert not result.ok
    assert all(s.intact for s in result.signatures)       # the bytes they signed are untouched ...
    assert not result.signatures[-1].ok                   # ... but the change after them is not allowed
    assert "did not allow" in result.signatures[-1].changes_after
    assert not result.data.ok and not result.data.qr_ok  # and the data no longer matches the print


def test_an_untrusted_signer_is_caught(world):
    stranger = LocalP12Signer.open(world["tmp"] / "stranger.p12", P12_PASS)
    signed = sign_report(world["team_report"], stranger, "inspector",
                         crl_der=current_crl(world["other"]))
    result = verify_report(signed, world["root"], crls=[world["crl"]])
    assert not result.ok
    (s,) = result.signatures
    assert s.intact and not s.trusted and "not trusted" in s.problems[0]


def test_a_revoked_certificate_is_caught(world):
    yusuf = world["people"]["yusuf"]
    signed = sign_report(world["team_report"], yusuf, "inspector", crl_der=world["crl"])
    assert verify_report(signed, world["root"], crls=[world["crl"]]).ok
    revoke(world["pki"], CA_PASS, yusuf.certificate.serial_number, "key_compromise")
    newer = current_crl(world["pki"])
    result = verify_report(signed, world["root"], crls=[newer])
    assert not result.ok
    (s,) = result.signatures
    assert s.intact and s.revoked and not s.trusted and "revoked" in s.problems[0]
    with pytest.raises(CertificateRejected, match="revoked"):
        sign_report(world["team_report"], yusuf, "inspector", crl_der=newer)


def test_refusals_say_what_is_wrong(world):
    tmp, report, crl = world["tmp"], world["report"], world["crl"]
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        LocalP12Signer.open(tmp / "rina.p12", b"not the passphrase")
    old = LocalP12Signer.open(tmp / "old.p12", P12_PASS)
    with pytest.raises(CertificateRejected, match="expired on"):
        sign_report(report, old, "inspector", crl_der=crl)
    with pytest.raises(CertificateRejected, match="is for a supervisor, not an inspector"):
        sign_report(report, world["people"]["budi"], "inspector", crl_der=crl)
    with pytest.raises(CertificateRejected, match="is for an inspector, not a supervisor"):
        sign_report(world["first"], world["people"]["rina"], "supervisor", crl_der=crl)
    with pytest.raises(SigningRefused, match="DRAFT"):
        sign_report(world["draft"], world["people"]["rina"], "inspector", crl_der=crl)
    with pytest.raises(SigningRefused, match="inspector has not signed"):
        sign_report(report, world["people"]["budi"], "supervisor", crl_der=crl)
    with pytest.raises(SigningRefused, match="already"):
        sign_report(world["first"], world["people"]["rina"], "inspector", crl_der=crl)
    with pytest.raises(SigningRefused, match="revocation list"):
        sign_report(report, world["people"]["rina"], "inspector", crl_der=None)


def test_sign_refuses_a_report_whose_data_no_longer_matches_its_score(world):
    with pytest.raises(SigningRefused, match="no longer matches") as caught:
        sign_report(world["liar"], world["people"]["rina"], "inspector", crl_der=world["crl"])
    assert "99,50" in str(caught.value)


def test_verify_rescores_and_catches_a_printed_score_that_lies(world, monkeypatch):
    from assessor_app.reports import signing     # as an older version of the app signed it
    monkeypatch.setattr(signing, "_check_printed_data", lambda pdf: None)
    signed = sign_report(world["liar"], world["people"]["rina"], "inspector", crl_der=world["crl"])
    result = verify_report(signed, world["root"], crls=[world["crl"]])
    assert result.signatures[0].ok          # honestly signed ...
    assert not result.ok and not result.data.ok
    assert any("prints a score of 99,50" in p and "65.00" in p for p in result.data.problems)
    from assessor_app.reports.cli import format_result
    shown_id = format_result(result, "x.pdf", "id")
    assert "65,00" in shown_id and "None" not in shown_id


def test_an_unsigned_report_does_not_pass(world):
    result = verify_report(world["report"], world["root"], crls=[world["crl"]])
    assert result.data.ok and not result.ok
    assert "no electronic signature" in result.problems[0]


def _attachment(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return doc.attachments["assessment.json"].get_file().read_bytes()
