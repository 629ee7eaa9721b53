"""A real RFC 3161 timestamp authority on 127.0.0.1, for tests.

:class:`TestTsa` is an HTTP server (``http.server`` in a thread) that answers
``application/timestamp-query`` POSTs with ``application/timestamp-reply`` responses made by
pyHanko's ``DummyTimeStamper``, signed by a TSA certificate (RSA, extended key usage
timeStamping, critical) issued by a TSA root of its own, as a commercial or government TSA
would be. The product talks to it with its real HTTP client; nothing is injected.

``mode`` changes how it answers, to test refusals: ``"ok"``, ``"garbage"`` (right content type,
bytes that are not a timestamp response), ``"html"`` (an error page with status 200),
``"rejection"`` (a proper response whose status is *rejection*), ``"http500"``.
:func:`closed_port_url` gives a URL where nothing listens (a TSA that is down).
"""

from __future__ import annotations

import socket
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys, tsp, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

HOST = "127.0.0.1"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Time Authority"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_tsa_pki(now: datetime | None = None):
    """(root certificate, TSA certificate, TSA private key), all ``cryptography`` objects.

    The root is EC P-256; the TSA key is RSA because ``DummyTimeStamper`` signs with RSA only."""
    now = now or datetime.now(timezone.utc)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (x509.CertificateBuilder()
            .subject_name(_name("Test TSA Root")).issuer_name(_name("Test TSA Root"))
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(root_ski, critical=False)
            .sign(root_key, hashes.SHA256()))
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = (x509.CertificateBuilder()
           .subject_name(_name("Test TSA 1")).issuer_name(root.subject)
           .public_key(tsa_key.public_key()).serial_number(x509.random_serial_number())
           .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1825))
           .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
           .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                        key_encipherment=False, data_encipherment=False,
                                        key_agreement=False, key_cert_sign=False, crl_sign=False,
                                        encipher_only=False, decipher_only=False), critical=True)
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                          critical=True)
           .add_extension(x509.SubjectKeyIdentifier.from_public_key(tsa_key.public_key()),
                          critical=False)
           .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski),
                          critical=False)
           .sign(root_key, hashes.SHA256()))
    return root, tsa, tsa_key


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class TestTsa:
    """An RFC 3161 TSA over HTTP on 127.0.0.1; use as a context manager."""

    __test__ = False   # not a pytest test class

    def __init__(self, *, fixed_dt: datetime | None = None):
        self.root, self.cert, key = make_tsa_pki()
        der_key = key.private_bytes(serialization.Encoding.DER,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        self.stamper = DummyTimeStamper(tsa_cert=_asn1_cert(self.cert),
                                        tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
                                        fixed_dt=fixed_dt)
        self.mode = "ok"
        self.requests: list[tuple[str, bytes]] = []   # (content type, body) of each POST
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    @property
    def url(self) -> str:
        assert self._server is not None, "start the TSA first"
        return f"http://{HOST}:{self._server.server_address[1]}/"

    def _answer(self, body: bytes) -> tuple[int, str, bytes]:
        if self.mode == "http500":
            return 500, "text/plain", b"internal error"
        if self.mode == "html":
            return 200, "text/html", b"<html><body>Service unavailable</body></html>"
        if self.mode == "garbage":
            return 200, "application/timestamp-reply", b"\x30\x03\x02\x01" + b"not DER at all"
        req = tsp.TimeStampReq.load(body)
        if self.mode == "rejection":
            # RFC 3161: a refusal has a status and no token (asn1crypto cannot build one, as
            # its TimeStampResp makes the token mandatory, so the SEQUENCE is written by hand)
            status = tsp.PKIStatusInfo({"status": "rejection",
                                        "status_string": ["test TSA refuses"],
                                        "fail_info": tsp.PKIFailureInfo({"bad_alg"})}).dump()
            return 200, "application/timestamp-reply", b"\x30" + bytes([len(status)]) + status
        resp = self.stamper.request_tsa_response(req)
        return 200, "application/timestamp-reply", resp.dump()

    def start(self) -> TestTsa:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                ctype = self.headers.get("Content-Type", "")
                tsa.requests.append((ctype, body))
                if ctype != "application/timestamp-query":
                    status, rtype, out = 415, "text/plain", b"expected a timestamp query"
                else:
                    try:
                        status, rtype, out = tsa._answer(body)
                    except Exception as exc:  # noqa: BLE001 - a bad request is the client's fault
                        status, rtype, out = 400, "text/plain", str(exc).encode()
                self.send_response(status)
                self.send_header("Content-Type", rtype)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):   # keep test output quiet
                pass

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="test-tsa")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> TestTsa:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: a timestamp server that is down."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    return f"http://{HOST}:{port}/"
