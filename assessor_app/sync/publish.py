"""Publishing a template version from this laptop to the office server (supervisors and
administrators): ``publish_template(store, template)`` sends it; every device, this one
included, receives it on its next sync. Raises SyncRejected (e.g. an inspector's laptop, or the
version already published with other content) or SyncUnavailable (no connection)."""

from __future__ import annotations

from ..i18n import _
from ..templates.loader import canonical_json
from ..templates.model import Template
from .errors import NotEnrolled
from .transport import Transport


def publish_template(store, template: Template, *, max_time: float = 30.0,
                     transport=None) -> dict:
    """``{"id", "version", "hash", "new"}``: ``new`` is False when the server already had this
    exact version. Run it off the GUI thread (it waits for the network)."""
    settings = store.sync_settings()
    if not settings.get("token") or not settings.get("server"):
        raise NotEnrolled(_("this laptop is not enrolled with a sync server yet: enter the "
                            "server address and the code from your administrator"))
    t = Transport(settings["server"], settings["token"], max_time=max_time, transport=transport)
    try:
        return t.call("POST", "/v1/templates", content=canonical_json(template.body).encode("utf-8"),
                      headers={"Content-Type": "application/json"})
    finally:
        t.close()
