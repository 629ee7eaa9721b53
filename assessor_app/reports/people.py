"""Who may sign which box of a report: the rule shared by ``sign`` and ``verify``.

A report has one electronic signature field per inspector named on it (``Inspector``,
``Inspector 2``, ...) and one for the supervisor. A certificate may fill an inspector's field only
when its subject's name (CN) is that inspector's name as the assessment records it; it may fill
the supervisor's field only when it carries the supervisor role and, where the assessment names
its team, the certificate's organisational unit (OU) is that team. The names come from the
assessment data embedded in the PDF, so the rule holds for whoever checks the file later.
"""

from __future__ import annotations

import json

from cryptography import x509
from cryptography.x509.oid import NameOID

from ..i18n import N_, Text
from ..pki.people import name_of, role_of
from .data import inspector_field_key, person_key
from .package import DATA_NAME, field_name


def embedded_doc(attachments: dict[str, bytes]) -> dict | None:
    """The assessment data attached to a report, parsed (None when absent or unreadable)."""
    raw = attachments.get(DATA_NAME)
    if raw is None:
        return None
    try:
        doc = json.loads(raw)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def inspectors_of(doc: dict | None) -> list[str]:
    people = (doc or {}).get("people") or {}
    return [str(p) for p in people.get("inspectors") or [] if str(p).strip()]


def team_of(doc: dict | None) -> str | None:
    """The team the assessment names (people.team, else unit.team), if any."""
    doc = doc or {}
    team = (doc.get("people") or {}).get("team") or (doc.get("unit") or {}).get("team")
    return str(team).strip() or None if team else None


def units_of(cert: x509.Certificate) -> list[str]:
    return [str(a.value).strip() for a in
            cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)]


def inspector_fields(doc: dict | None) -> dict[str, str]:
    """Field name -> the inspector it belongs to (``{"Inspector": "Siti Nurhaliza", ...}``)."""
    names = inspectors_of(doc) or [""]
    return {field_name(inspector_field_key(i)): n for i, n in enumerate(names)}


def inspector_field_for(doc: dict | None, cert: x509.Certificate) -> str | None:
    """The inspector field the holder of ``cert`` signs, or None when they are not named."""
    who = person_key(name_of(cert))
    for fname, person in inspector_fields(doc).items():
        if person and person_key(person) == who:
            return fname
    return None


def drawn_owner_field(doc: dict | None) -> str:
    """The inspector field whose box shows the drawn inspector signature (the inspector of that
    name, else the first), as the signature page draws it."""
    drawn = next((s for s in (doc or {}).get("signatures") or [] if s.get("role") == "inspector"),
                 None)
    fields = inspector_fields(doc)
    if drawn is not None:
        for fname, person in fields.items():
            if person and person_key(person) == person_key(drawn.get("name")):
                return fname
    return next(iter(fields))


def signer_problem(doc: dict | None, field: str, cert: x509.Certificate) -> Text | None:
    """Why ``cert`` should not be the signature in ``field`` of the report of ``doc``, or None.

    Used by ``verify`` (a report signed by someone it does not name) and by ``sign``."""
    name = name_of(cert)
    if field == field_name("supervisor"):
        if role_of(cert) != "supervisor":
            return Text(N_("{name} signed the supervisor's box without a supervisor certificate"),
                        name=name)
        team = team_of(doc)
        if team and person_key(team) not in {person_key(u) for u in units_of(cert)}:
            return Text(N_("{name} is not a supervisor of the assessment's team {team}"),
                        name=name, team=team)
        return None
    owners = inspector_fields(doc)
    if field in owners:
        expected = owners[field]
        if role_of(cert) != "inspector":
            return Text(N_("{name} signed an inspector's box without an inspector certificate"),
                        name=name)
        if not expected or person_key(expected) != person_key(name):
            names = ", ".join(inspectors_of(doc)) or "-"
            return Text(N_("the signer {name} is not the inspector named for this box (the "
                           "report names: {names})"), name=name, names=names)
        return None
    return Text(N_("signature field {field} is not one this report defines"), field=field)
