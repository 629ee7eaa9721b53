"""The organisation's trust settings for pyHanko: root, chain and revocation policy.

Why a policy of our own: people's certificates carry no CRL distribution point (the CRL travels
with the sync instead), and pyhanko-certvalidator's usual ``soft-fail``/``hard-fail`` modes only
consult a CRL for certificates that declare one. Given a CRL they would therefore ignore it and
trust a revoked certificate. :data:`REVOCATION_POLICY` requires a CRL for the person's
certificate and none for the issuing CA (the root is offline and publishes no CRL).

The same context serves signing with ``embed_validation_info=True`` (pyHanko then writes the CRL
into the PDF's DSS) and validating. Nothing here fetches from the network.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import (
    NO_REVOCATION, CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule,
)

from .authority import ca_certificates
from .revocation import current_crl

REVOCATION_POLICY = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
    )
)

#: For timestamp authorities (TSAs), which are usually outside the organisation's CA: their
#: revocation data is checked when the certificate names a source for it and that data is at
#: hand (embedded in the report or given with ``--crl``); nothing is fetched, and a TSA whose
#: status cannot be had offline is not failed for it (pyHanko's "soft-fail" rule).
TSA_REVOCATION_POLICY = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
    )
)


def to_asn1(cert: x509.Certificate | asn1_x509.Certificate) -> asn1_x509.Certificate:
    """pyHanko speaks asn1crypto; this package speaks ``cryptography``."""
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def validation_context(
    root: x509.Certificate,
    *,
    crls: Iterable[bytes] | None = None,
    other_certs: Iterable[x509.Certificate] = (),
    moment: datetime | None = None,
) -> ValidationContext:
    """A pyHanko ``ValidationContext`` trusting only ``root``, offline.

    With ``crls`` (DER bytes, usually ``[current_crl(pki_dir)]``) a person's certificate must be
    covered by one of them and not revoked; with ``crls=None`` revocation is not checked.
    ``other_certs`` (e.g. the issuing CA) help build the path; ``moment`` validates at another
    time than now.
    """
    kwargs = dict(
        trust_roots=[to_asn1(root)],
        other_certs=[to_asn1(c) for c in other_certs],
        allow_fetching=False,
        moment=moment,
    )
    if crls is None:
        return ValidationContext(revinfo_policy=CertRevTrustPolicy(NO_REVOCATION), **kwargs)
    return ValidationContext(crls=list(crls), revinfo_policy=REVOCATION_POLICY, **kwargs)


def ca_validation_context(pki_dir: str | os.PathLike, *, moment: datetime | None = None):
    """:func:`validation_context` for the CA in ``pki_dir``: root, issuing CA and current CRL."""
    root, issuing = ca_certificates(Path(pki_dir))
    return validation_context(root, crls=[current_crl(pki_dir)], other_certs=[issuing],
                              moment=moment)
