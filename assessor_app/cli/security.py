"""``assessor encrypt``, ``assessor passphrase change``, ``assessor backup``, ``assessor restore``.

The passphrase comes from ``--passphrase-file FILE`` (its first line) or ASSESSOR_PASSPHRASE,
else, on a terminal, from a prompt. A new passphrase (``passphrase change``) comes from
``--new-passphrase-file`` or ASSESSOR_NEW_PASSPHRASE.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from .. import vault
from ..errors import UserError
from ..i18n import _


def register(sub, common) -> None:
    x = sub.add_parser("encrypt", parents=[common],
                       help="encrypt this data folder (database and photos) under a passphrase")
    x.add_argument("--keyring", action="store_true",
                   help="also keep the key in the system keyring (unlock without typing)")
    x.set_defaults(func=cmd_encrypt, no_unlock=True)
    p = sub.add_parser("passphrase", parents=[common], help="the passphrase of an encrypted folder")
    psub = p.add_subparsers(dest="passphrase_command", metavar="ACTION", required=True)
    x = psub.add_parser("change", parents=[common], help="change it (the data is not re-encrypted)")
    x.add_argument("--new-passphrase-file", metavar="FILE")
    x.set_defaults(func=cmd_change)
    x = sub.add_parser("backup", parents=[common],
                       help="write an encrypted backup of the data folder (the app may run)")
    x.add_argument("--out", required=True)
    x.set_defaults(func=cmd_backup)
    x = sub.add_parser("restore", parents=[common],
                       help="restore a backup into an empty --data-dir")
    x.add_argument("file")
    x.set_defaults(func=cmd_restore, no_unlock=True)


def passphrase(args, *, confirm: bool = False, env: str = vault.PASSPHRASE_ENV,
               file_attr: str = "passphrase_file", prompt: str | None = None) -> str | None:
    path = getattr(args, file_attr, None)
    if path:
        return vault.passphrase_from_env_or_file(path)
    if os.environ.get(env) is not None:
        return os.environ[env]
    if not sys.stdin or not sys.stdin.isatty():
        return None
    first = getpass.getpass(prompt or _("Passphrase: "))
    if confirm and getpass.getpass(_("Repeat the passphrase: ")) != first:
        raise UserError(_("the two passphrases differ; nothing was changed"))
    return first


def cmd_encrypt(args) -> int:
    from ..encryption import encrypt_folder
    secret = passphrase(args, confirm=True)
    if not secret:
        raise UserError(_("give a passphrase (ASSESSOR_PASSPHRASE or --passphrase-file FILE)"))
    result = encrypt_folder(Path(args.data_dir), secret, keyring=args.keyring)
    if result["backup"]:
        print(_("encrypted {path}; a backup copy made first is {backup}").format(
            path=args.data_dir, backup=result["backup"]))
    else:
        print(_("{path} is encrypted").format(path=args.data_dir))
    return 0


def cmd_change(args) -> int:
    if not vault.is_encrypted(args.data_dir):
        raise UserError(_("{path} is not encrypted; use 'assessor encrypt'").format(
            path=args.data_dir))
    old = passphrase(args)
    new = passphrase(args, confirm=True, env="ASSESSOR_NEW_PASSPHRASE",
                     file_attr="new_passphrase_file", prompt=_("New passphrase: "))
    if not old or not new:
        raise UserError(_("give the current passphrase (ASSESSOR_PASSPHRASE or --passphrase-file) "
                          "and the new one (ASSESSOR_NEW_PASSPHRASE or --new-passphrase-file)"))
    vault.change_passphrase(args.data_dir, old, new)
    print(_("passphrase changed"))
    return 0


def cmd_backup(args) -> int:
    from ..encryption import backup
    result = backup(Path(args.data_dir), Path(args.out).expanduser(), passphrase(args))
    print(_("wrote {path} ({count} photo and signature files)").format(
        path=result["out"], count=result["evidence"]))
    return 0


def cmd_restore(args) -> int:
    from ..encryption import restore
    result = restore(Path(args.file).expanduser(), Path(args.data_dir), passphrase(args))
    print(_("restored {count} assessments into {path}").format(
        count=result["assessments"], path=result["data_dir"]))
    return 0
