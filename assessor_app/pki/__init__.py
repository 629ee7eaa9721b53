"""The organisation's certificate authority (Qt-free): an offline root, an issuing CA, people's
signing certificates in PKCS#12 files, and the revocation list.

Modules: ``authority`` (create/load the CA), ``people`` (issue, sign CSRs, PKCS#12, roles),
``revocation`` (revoke, CRL), ``checks`` (may this certificate sign now?), ``storage`` (files
and the ``index.json`` ledger), ``passphrase`` (file/env/prompt), ``cli`` (``assessor pki``).
"""

from .authority import CaInfo, ca_certificates, init_ca
from .checks import check_signing_certificate
from .errors import CertificateRejected, PkiError, WrongPassphrase
from .passphrase import read_passphrase
from .people import ROLES, issue_person, load_p12, make_csr, role_of, sign_csr, write_p12
from .revocation import current_crl, is_revoked, refresh_crl, revoke
from .storage import CertInfo, list_certificates

__all__ = [
    "ROLES", "CaInfo", "CertInfo", "CertificateRejected", "PkiError", "WrongPassphrase",
    "ca_certificates", "check_signing_certificate", "current_crl", "init_ca", "is_revoked",
    "issue_person", "list_certificates", "load_p12", "make_csr", "read_passphrase",
    "refresh_crl", "revoke", "role_of", "sign_csr", "write_p12",
]
