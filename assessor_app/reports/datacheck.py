"""What a report's attached data says against what its pages print (``assessor verify`` runs
these after the signatures; signing runs them first and refuses a report that contradicts
itself): :func:`check_assessment_data` for an assessment report, :func:`check_government_data`
for a government's results report (issue 10). Below both ``signing`` and ``verify``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import ExchangeInvalid
from ..exchange import parse_exchange, rescore
from ..i18n import N_, Text, format_number
from .data import QR_PREFIX
from .government import GOV_DATA_NAME, GOV_FORMAT, GOV_RANK_TAG, GOV_SCORE_TAG
from .inspect import report_facts
from .layout import QR_TAG, QR_TEXT_TAG, REPORT_NO_TAG, SCORE_TAG
from .package import DATA_NAME
from .style import parse_number
from .widgets import qr_matrix


class Number(Text):
    """A score inside a message: ``65.00`` in English, ``65,00`` when shown in Bahasa Indonesia
    (never ``None``: a missing value reads ``–``)."""

    def __new__(cls, value):
        self = str.__new__(cls, format_number(value, "en"))
        self.template, self.params, self.value = "", {}, value
        return self

    def translated(self, lang: str | None = None) -> str:
        return format_number(self.value, lang)

    def __reduce__(self):
        return Number, (self.value,)


@dataclass
class DataCheck:
    kind: str = "assessment"        # or "government": a government's results report
    attached: bool = False
    data_sha256: str | None = None
    report_no: str | None = None
    stored_total: float | None = None
    rescored_total: float | None = None
    printed_totals: list[str] = field(default_factory=list)
    printed_sha256: str | None = None
    qr_ok: bool = False
    printed_rank: str | None = None  # a government report's printed rank
    ok: bool = False
    problems: list[str] = field(default_factory=list)


def _attached(data: bytes, kind: str, name: str, tags: tuple, missing: str):
    """``(check, facts, raw)``: a new check of ``kind``, the report's facts (texts marked with
    ``tags``) and its attachment ``name`` (None, with the ``missing`` problem noted, when absent)."""
    check = DataCheck(kind=kind)
    facts = report_facts(data, tags)
    raw = facts.attachments.get(name)
    if raw is None:
        check.problems.append(Text(missing, name=name))
        return check, facts, None
    check.attached = True
    check.data_sha256 = hashlib.sha256(raw).hexdigest()
    return check, facts, raw


def check_assessment_data(data: bytes) -> DataCheck:
    """An assessment report's attached data: there, readable, scoring to the total it claims,
    and giving the score, fingerprint and QR code printed on the pages."""
    check, facts, raw = _attached(data, "assessment", DATA_NAME,
                                  (SCORE_TAG, QR_TAG, QR_TEXT_TAG, REPORT_NO_TAG),
                                  N_("the embedded assessment data ({name}) is missing"))
    if raw is None:
        return check
    try:
        ex = parse_exchange(raw, DATA_NAME)
    except ExchangeInvalid as exc:
        check.problems.append(Text(N_("the embedded assessment data is invalid: {error}"),
                                   error=str(exc)))
        return check
    result = rescore(ex)
    check.rescored_total = float(result.total) if result.total is not None else None
    check.stored_total = ex.doc["score"].get("total")
    if check.stored_total != check.rescored_total:
        check.problems.append(Text(N_("the embedded data claims a score of {stored} but its "
                                      "answers give {rescored}"),
                                   stored=Number(check.stored_total),
                                   rescored=Number(check.rescored_total)))
    check.printed_totals = [s.strip() for s in facts.texts(SCORE_TAG)]
    if not check.printed_totals:
        check.problems.append(Text(N_("no printed score was found in the report")))
    for text in check.printed_totals:
        value = parse_number(text) if text != "-" else None
        expected = Decimal(str(check.rescored_total)).quantize(Decimal("0.01")) \
            if check.rescored_total is not None else None
        if value != expected:
            check.problems.append(
                Text(N_("the report prints a score of {printed}, but the embedded data gives "
                        "{expected}"), printed=text, expected=Number(expected))
                if expected is not None
                else Text(N_("the report prints a score of {printed}, but the embedded data "
                             "gives no score"), printed=text))
            break
    printed = "".join(facts.texts(QR_TEXT_TAG)).replace(" ", "")
    check.printed_sha256 = printed or None
    if printed != check.data_sha256:
        check.problems.append(Text(N_("the SHA-256 printed under the QR code does not match "
                                      "the embedded data")))
    numbers = facts.texts(REPORT_NO_TAG)
    check.report_no = numbers[0].strip() if numbers else None
    images = [img for m in facts.marked if m.tag == QR_TAG for img in m.images]
    payload = f"{QR_PREFIX};no={check.report_no};sha256={check.data_sha256}"
    check.qr_ok = bool(images) and _same_modules(images[0], qr_matrix(payload))
    if not check.qr_ok:
        check.problems.append(Text(N_("the QR code does not carry this report's number and the "
                                      "fingerprint of the embedded data")))
    check.ok = not check.problems
    return check


def _same_modules(image, matrix) -> bool:
    grey = image.convert("L")
    if grey.size != (len(matrix), len(matrix)):
        return False
    pixels = grey.load()
    return all((pixels[x, y] < 128) == dark for y, row in enumerate(matrix)
               for x, dark in enumerate(row))


def is_government_report(attachments: dict[str, bytes]) -> bool:
    return GOV_DATA_NAME in attachments


def check_government_data(data: bytes):
    """A :class:`DataCheck` of a government report: the attached
    results data is there and readable, and the printed score and rank are the attached ones."""
    check, facts, raw = _attached(data, "government", GOV_DATA_NAME, (GOV_SCORE_TAG, GOV_RANK_TAG),
                                  N_("the attached results data ({name}) is missing"))
    if raw is None:
        return check
    try:
        body = json.loads(raw)
        if body.get("format") != GOV_FORMAT:
            raise ValueError(body.get("format"))
        row, rnd = body["result"], body["round"]
        check.report_no = f"{rnd['id']} / {row['id']}"
    except (ValueError, KeyError, TypeError, AttributeError):
        check.problems.append(Text(N_("the attached results data is not readable")))
        return check
    score = row.get("score")
    check.stored_total = check.rescored_total = score
    check.printed_totals = [t.strip() for t in facts.texts(GOV_SCORE_TAG)]
    expected = Decimal(str(score)).quantize(Decimal("0.01")) if score is not None else None
    printed = check.printed_totals[0] if check.printed_totals else None
    if printed is None:
        check.problems.append(Text(N_("no printed score was found in the report")))
    elif (parse_number(printed) if printed != "-" else None) != expected:
        check.problems.append(Text(N_("the report prints a score of {printed}, but the attached "
                                      "data gives {expected}"), printed=printed,
                                   expected=Number(expected)))
    ranks = [t.strip() for t in facts.texts(GOV_RANK_TAG)]
    check.printed_rank = ranks[0] if ranks else None
    rank = row.get("rank")
    digits = [int(x) for x in "".join(c if c.isdigit() else " " for c in (check.printed_rank or "")).split()]
    if check.printed_rank is None:
        check.problems.append(Text(N_("no printed rank was found in the report")))
    elif (digits[:2] != [rank, row.get("of")]) if rank else bool(digits):
        check.problems.append(Text(N_("the report prints the rank '{printed}', but the attached "
                                      "data gives rank {rank} of {of}"),
                                   printed=check.printed_rank, rank=rank or "-", of=row.get("of")))
    check.qr_ok = True          # a government report has no QR code
    check.ok = not check.problems
    return check
