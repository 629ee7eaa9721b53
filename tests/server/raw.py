"""Raw HTTP calls with a laptop's own token, to show exactly what the server answers."""

import json

import httpx

from assessor_app.exchange import export_document
from assessor_app.sync.wire import PROTOCOL


def api(server, store=None, token=None, protocol=PROTOCOL) -> httpx.Client:
    headers = {"Assessor-Protocol": str(protocol)}
    tok = token or (store.sync_settings()["token"] if store is not None else None)
    if tok:
        headers["Authorization"] = f"Bearer {tok}"
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def doc_bytes(store, uid) -> bytes:
    return json.dumps(export_document(store, uid)).encode()


def put(client, uid, rev, body: bytes, base=0):
    return client.put(f"/v1/assessments/{uid}/revisions/{rev}", params={"base_rev": base},
                      content=body, headers={"Content-Type": "application/json"})


def upload_all(client, store, body: bytes):
    from assessor_app.evidence.files import read_evidence
    from assessor_app.exchange import referenced_blobs
    for sha in referenced_blobs(json.loads(body)):
        data = read_evidence(store.evidence_dir, sha)
        r = client.patch(f"/v1/uploads/{sha}", params={"size": len(data)},
                         headers={"Upload-Offset": "0"}, content=data)
        assert r.status_code == 200, r.text
