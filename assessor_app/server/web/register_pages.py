"""The register's edit forms under ``/office/register/{government}`` (administrators only):
the government's name, category, province and team; its units added, edited and removed.
Every form carries the session's CSRF token; bad input is shown at its field and changes
nothing (:mod:`assessor_app.server.register_edit` checks before it writes)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from ...errors import UserError
from ...i18n import shown, translate
from .. import register_edit as edit
from . import session
from .pages import _db, _form, _lang, _not_found, _render, _to_login, _who

router = APIRouter(prefix="/office")


def _admin(request: Request):
    viewer = _who(request)
    return viewer, (viewer is not None and viewer.role == "admin")


def _page(request, viewer, gov_id, status=200, errors=None, values=None, unit_errors=None,
          unit_values=None, saved=None):
    try:
        g = edit.government(_db(request), gov_id)
    except UserError:
        return _not_found(request, viewer)
    return _render(request, "register_edit.html", status, viewer=viewer, g=g, shown=shown,
                   errors=errors or {}, values=values or g, unit_errors=unit_errors or {},
                   unit_values=unit_values or {}, saved=saved)


@router.get("/register/{gov_id}")
def edit_page(request: Request, gov_id: str, saved: str | None = None):
    viewer, ok = _admin(request)
    if viewer is None:
        return _to_login(request)
    if not ok:
        return _not_found(request, viewer)
    return _page(request, viewer, gov_id, saved=saved)


async def _checked(request: Request):
    """``(viewer, form)`` of an administrator's post with a valid CSRF token, else a response."""
    viewer, ok = await run_in_threadpool(_admin, request)
    form = await _form(request)
    if viewer is None:
        return None, _to_login(request)
    if not ok:
        return None, _not_found(request, viewer)
    if not session.same(form.get("csrf"), viewer.csrf):
        return None, _render(request, "message.html", 403, viewer=viewer, message=translate(
            "The form expired; open the page again.", _lang(request)))
    return (viewer, form), None


def _back(request: Request, gov_id: str, saved: str):
    return RedirectResponse(f"/office/register/{gov_id}?saved={saved}", status_code=303)


@router.post("/register/{gov_id}")
async def save_government(request: Request, gov_id: str):
    ok, refused = await _checked(request)
    if refused is not None:
        return refused
    viewer, form = ok
    values = {k: form.get(k, "") for k in ("name", "category", "province", "team")}
    try:
        await run_in_threadpool(lambda: edit.set_government(_db(request), gov_id, **values))
    except edit.RegisterInvalid as exc:
        return await run_in_threadpool(_page, request, viewer, gov_id, 400, exc.errors, values)
    except UserError:
        return _not_found(request, viewer)
    return _back(request, gov_id, "government")


@router.post("/register/{gov_id}/units")
async def save_unit(request: Request, gov_id: str):
    ok, refused = await _checked(request)
    if refused is not None:
        return refused
    viewer, form = ok
    values = {k: form.get(k, "") for k in ("unit_id", "unit_name", "address")}
    try:
        await run_in_threadpool(lambda: edit.set_unit(
            _db(request), values["unit_id"], government_id=gov_id, name=values["unit_name"],
            address=values["address"]))
    except edit.RegisterInvalid as exc:
        return await run_in_threadpool(lambda: _page(request, viewer, gov_id, 400,
                                                     unit_errors=exc.errors, unit_values=values))
    return _back(request, gov_id, "unit")


@router.post("/register/{gov_id}/units/{unit_id}/remove")
async def remove_unit(request: Request, gov_id: str, unit_id: str):
    ok, refused = await _checked(request)
    if refused is not None:
        return refused
    viewer, _form_ = ok
    try:
        await run_in_threadpool(edit.remove_unit, _db(request), unit_id)
    except edit.RegisterInvalid as exc:
        return await run_in_threadpool(lambda: _page(request, viewer, gov_id, 400,
                                                     unit_errors=exc.errors,
                                                     unit_values={"unit_id": unit_id}))
    return _back(request, gov_id, "removed")
