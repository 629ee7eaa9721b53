"""``assessor-server office-certificate``: install (or remove) the office's signing certificate,
with which the office pages sign the government results reports they serve.

The certificate is checked before anything is written: the passphrase opens it, it carries its
issuing and root certificates, and it may sign now (valid dates, key usage, not revoked by the
revocation list published to this server with ``assessor-server crl``). Then the .p12 file and
its passphrase are written into the server's data folder (readable by the server's user only).
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime, timezone
from pathlib import Path

from ..errors import UserError
from ..fileio import atomic_write
from ..i18n import translate as _
from .cli_common import config, database
from .government_report import OFFICE_P12, OFFICE_PASS, server_crl

MAX_P12_BYTES = 1024 * 1024


def add_commands(sub, common) -> None:
    p = sub.add_parser("office-certificate", parents=[common],
                       help="install the office's signing certificate (.p12): the office pages "
                            "then serve signed government results reports")
    p.add_argument("p12", type=Path, nargs="?", help="the certificate file (assessor pki issue)")
    p.add_argument("--passphrase-file", type=Path,
                   help="its passphrase, first line (else ASSESSOR_P12_PASSPHRASE or a prompt)")
    p.add_argument("--remove", action="store_true",
                   help="remove the installed certificate (downloads are then unsigned)")
    p.set_defaults(func=_office_certificate)


def _office_certificate(args) -> int:
    folder = Path(config(args).data_dir)
    target, pass_target = folder / OFFICE_P12, folder / OFFICE_PASS
    if args.remove:
        if args.p12 is not None or args.passphrase_file is not None:
            raise UserError(_("--remove takes no certificate file; nothing was changed"))
        existed = target.exists() or pass_target.exists()
        target.unlink(missing_ok=True)
        pass_target.unlink(missing_ok=True)
        print(_("office signing certificate removed; results reports are served unsigned")
              if existed else _("no office signing certificate was installed"))
        return 0
    if args.p12 is None:
        raise UserError(_("give the office's .p12 file (or --remove); nothing was changed"))
    source = args.p12.expanduser()
    if not source.is_file():
        raise UserError(_("{path} is not a file; nothing was changed").format(path=source))
    if source.stat().st_size > MAX_P12_BYTES:
        raise UserError(_("{path} is too large for a certificate file; nothing was changed")
                        .format(path=source))
    from ..pki import check_signing_certificate
    from ..pki.passphrase import read_passphrase
    from ..reports.signing import LocalP12Signer, _issuer_and_root
    passphrase = read_passphrase(args.passphrase_file, "ASSESSOR_P12_PASSPHRASE",
                                 _("passphrase of the .p12 file: "))
    if b"\n" in passphrase or b"\r" in passphrase:
        raise UserError(_("the passphrase holds a line break; it cannot be stored for the server"))
    data = source.read_bytes()
    signer = LocalP12Signer.open(source, passphrase)          # wrong passphrase: one line, exit 2
    cert = signer.certificate
    issuer, _root = _issuer_and_root(cert, signer.chain)
    crl = server_crl(database(args))
    if crl is None:
        raise UserError(_("no revocation list of the organisation's CA is published on this server; "
                          "publish it first (assessor-server crl FILE); nothing was changed"))
    check_signing_certificate(cert, role=None, at=datetime.now(timezone.utc), crl_der=crl,
                              issuer=issuer)
    atomic_write(target, data)
    atomic_write(pass_target, passphrase + b"\n")
    for path in (target, pass_target):
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    from ..pki.people import name_of
    print(_("office signing certificate installed: {name}, valid until {date}; the office pages "
            "now serve signed results reports").format(
        name=name_of(cert), date=cert.not_valid_after_utc.strftime("%Y-%m-%d")))
    return 0
