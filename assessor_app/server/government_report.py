"""The government results report as the server makes it: the round's results (from the frozen
snapshot when the round is closed), the PDF, and the office's signature when one is configured.

The office's signing certificate (issued by the organisation's CA, ``assessor pki issue``) is
installed, after its checks, by ``assessor-server office-certificate FILE.p12``
(:mod:`.cli_office`) as two files in the server's data folder: ``office-signing.p12`` and
``office-signing.pass`` (its passphrase, first line; both readable by the server only). The CA's
revocation list the signature embeds is the one published to the server (``assessor-server crl
FILE``). Without them the web page serves the report unsigned and says so.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from ..errors import UserError
from ..i18n import _
from . import db

OFFICE_P12, OFFICE_PASS = "office-signing.p12", "office-signing.pass"


def server_crl(database: db.Database) -> bytes | None:
    """The CA's revocation list published to this server (DER), or None."""
    with database.read() as conn:
        return conn.execute(sa.select(db.crl.c.der).where(db.crl.c.id == 1)).scalar()


def office_signer(data_dir: Path):
    """The office's :class:`~assessor_app.reports.signing.LocalP12Signer`, or None when no
    signing certificate is configured in ``data_dir``."""
    p12, pass_file = Path(data_dir) / OFFICE_P12, Path(data_dir) / OFFICE_PASS
    if not p12.is_file():
        return None
    if not pass_file.is_file():
        raise UserError(_("{p12} is there but its passphrase file {file} is missing").format(
            p12=p12, file=pass_file))
    from ..reports.signing import LocalP12Signer
    lines = pass_file.read_bytes().splitlines()
    passphrase = lines[0] if lines else b""
    return LocalP12Signer.open(p12, passphrase)


def build(database: db.Database, round_id: str, government: str, lang: str):
    """``(pdf bytes (unsigned), government id)`` of ``government`` (id or exact name)."""
    from ..reports.government import government_pdf
    from .results import find_government, round_results, trend
    view = round_results(database, round_id)
    g = find_government(view, government)
    pdf = government_pdf(g, view.round, view.template, lang, trend(database, g.government.id),
                         snapshot=view.snapshot)
    return pdf, g.government.id
