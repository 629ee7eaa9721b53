"""The office pages under ``/office``: login, rounds, a round's results by category, a
government, a unit, the review status of a round, and downloads (ranking CSV/XLSX, answers
XLSX, a government's PDF). Server-rendered (Jinja2), readable without JavaScript.

Every page needs a session (anonymous visitors are sent to the login page); a supervisor or
inspector sees only the governments of their team; forms carry CSRF tokens.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.background import BackgroundTask

from ... import results_export
from ...errors import UserError
from ..government_report import OFFICE_P12
from ...i18n import LANGUAGES, format_number, status_label, translate, zone_label
from .. import register
from .. import results as server_results
from ..deps import read_body
from . import charts, session

router = APIRouter(prefix="/office")
TEMPLATES = Environment(loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
                        autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
LANG_COOKIE = "assessor_lang"
SORTS = ("rank", "government", "province", "score", "change")
_TABLES: dict[tuple, Markup] = {}
_TABLES_LOCK = threading.Lock()


def _db(request: Request):
    return request.app.state.s.db


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "id"
    return lang if lang in LANGUAGES else "id"


def _render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    lang = _lang(request)

    def t(message: str) -> str:
        return translate(message, lang)

    html = TEMPLATES.get_template(name).render(
        _=t, lang=lang, num=lambda v: format_number(v, lang), zone=lambda z: zone_label(z, lang),
        status=lambda s: status_label(s, lang) if s != "missing" else t("Missing"),
        request=request, path=request.url.path, state_words=register.STATE_WORDS,
        lang_url=lambda code: "?" + urlencode({**dict(request.query_params), "lang": code}),
        **ctx)
    resp = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return resp


def _who(request: Request):
    return session.viewer(_db(request), request.cookies.get(session.COOKIE))


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    query = {"next": target}
    if request.query_params.get("lang") in LANGUAGES:
        query["lang"] = request.query_params["lang"]
    return RedirectResponse("/office/login?" + urlencode(query), status_code=303)


def _not_found(request: Request, viewer) -> HTMLResponse:
    return _render(request, "message.html", 404, viewer=viewer,
                   message=translate("Not found, or not yours to see.", _lang(request)))


async def _form(request: Request) -> dict[str, str]:
    raw = await read_body(request, 8192)
    return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}


# ---------------------------------------------------------------------------- login
@router.get("/login")
def login_page(request: Request, next: str = "/office/"):
    import secrets
    token = secrets.token_urlsafe(24)
    resp = _render(request, "login.html", viewer=None, csrf=token, next=_safe_next(next), error=None)
    resp.set_cookie(session.CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return resp


def _safe_next(target: str) -> str:
    return target if target.startswith("/office/") and "//" not in target else "/office/"


@router.post("/login")
async def login(request: Request):
    form = await _form(request)
    if not session.same(form.get("csrf"), request.cookies.get(session.CSRF_COOKIE)):
        return _render(request, "message.html", 403, viewer=None,
                       message=translate("The form expired; open the login page again.", _lang(request)))
    token = await run_in_threadpool(session.login, _db(request), form.get("name", "").strip(),
                                    form.get("password", ""))
    if token is None:
        resp = _render(request, "login.html", 401, viewer=None, csrf=form.get("csrf"),
                       next=_safe_next(form.get("next", "/office/")),
                       error=translate("Wrong name or password.", _lang(request)))
        return resp
    resp = RedirectResponse(_safe_next(form.get("next", "/office/")), status_code=303)
    resp.set_cookie(session.COOKIE, token, httponly=True, samesite="lax",
                    max_age=int(session.SESSION_HOURS * 3600), path="/office")
    resp.delete_cookie(session.CSRF_COOKIE)
    return resp


@router.post("/logout")
async def logout(request: Request):
    viewer = _who(request)
    form = await _form(request)
    if viewer is None or not session.same(form.get("csrf"), viewer.csrf):
        return _to_login(request)
    session.logout(_db(request), request.cookies.get(session.COOKIE))
    resp = RedirectResponse("/office/login", status_code=303)
    resp.delete_cookie(session.COOKIE, path="/office")
    return resp


# ---------------------------------------------------------------------------- pages
@router.get("/")
def rounds(request: Request):
    viewer = _who(request)
    if viewer is None:
        return _to_login(request)
    return _render(request, "rounds.html", viewer=viewer, rounds=register.list_rounds(_db(request)))


def _view(request: Request, round_id: str, viewer):
    try:
        return server_results.round_results(_db(request), round_id, team=viewer.scope)
    except UserError:
        return None


@router.get("/rounds/{round_id}")
def round_page(request: Request, round_id: str, category: str = "", province: str = "",
               sort: str = "rank", desc: int = 0):
    viewer = _who(request)
    if viewer is None:
        return _to_login(request)
    view = _view(request, round_id, viewer)
    if view is None:
        return _not_found(request, viewer)
    res = view.results
    lang = _lang(request)
    cats = res.categories()
    category = category if category in cats else (cats[0] if cats else "")
    sort = sort if sort in SORTS else "rank"
    desc = 1 if desc else 0

    def query(**kw) -> str:
        return urlencode({**{"category": category, "province": province, "sort": sort,
                             "desc": desc}, **kw})

    def sort_query(column: str) -> str:
        """Same column: reverse; a new column: scores high-first, names A-Z."""
        return query(sort=column, desc=(0 if desc else 1) if column == sort else
                     (1 if column in ("score", "change") else 0))
    key = (_db(request).url, round_id, view.revision, viewer.scope, category, province, sort,
           desc, lang)
    table = _TABLES.get(key)
    if table is None:
        table = _ranking_html(key, res, category, province, sort, desc, lang, view, sort_query)
    band_counts = res.counts["category"].get(category, {})
    chart = charts.band_bars([(f"{b.id} · {zone_label(b.zone, lang)}", band_counts.get(b.id, 0), b.zone)
                              for b in res.bands], translate("Governments per grade", lang))
    return _render(request, "round.html", viewer=viewer, view=view, table=table,
                   category=category, categories=cats, province=province,
                   provinces=res.provinces(), chart=chart, query=query, sort=sort, desc=desc)


def _ranking_html(key, res, category, province, sort, desc, lang, view, sort_query) -> Markup:
    """The ranking table, rendered once per results revision and view (concurrent viewers of
    the same view wait for the one rendering instead of each rendering it)."""
    with _TABLES_LOCK:
        table = _TABLES.get(key)
        if table is not None:
            return table
        header, rows = results_export.ranking_table(res, category, lang, province or None)
        order = {"rank": lambda r: (r[1] is None, r[1] or 0), "government": lambda r: r[3],
                 "province": lambda r: (r[4], r[3]), "score": lambda r: (r[5] is None, r[5] or 0),
                 "change": lambda r: (r[8] is None, r[8] or 0)}[sort]
        rows.sort(key=order, reverse=bool(desc))
        table = Markup(TEMPLATES.get_template("round_table.html").render(
            _=lambda m: translate(m, lang), num=lambda v: format_number(v, lang), view=view,
            rows=rows, header=header, sort=sort, desc=desc, sort_query=sort_query,
            ids={g.government.name: g.government.id for g in res.governments},
            zones={b.id: b.zone for b in res.bands}))
        if len(_TABLES) > 256:
            _TABLES.clear()
        _TABLES[key] = table
        return table


@router.get("/rounds/{round_id}/governments/{gov_id}")
def government_page(request: Request, round_id: str, gov_id: str):
    viewer = _who(request)
    if viewer is None:
        return _to_login(request)
    view = _view(request, round_id, viewer)
    g = view.results.government(gov_id) if view else None
    if g is None:
        return _not_found(request, viewer)
    lang = _lang(request)
    dims = charts.hbars([(s.title.get(lang), format_number(g.dimensions.get(s.id), lang),
                          float(g.dimensions[s.id]) if g.dimensions.get(s.id) is not None else None)
                         for s in view.dimensions], translate("Dimensions", lang))
    trend = server_results.trend(_db(request), gov_id, scope=viewer.scope)
    line = charts.trend_line([(n, format_number(v, lang), float(v)) for n, v in trend],
                             translate("Trend across rounds", lang)) if len(trend) > 1 else ""
    items = view.template.items
    band = next((b for b in view.template.bands if g.band and b.id == g.band.id), None)
    from .. import actions_register
    actions = actions_register.list_actions(_db(request), government=gov_id, state="open")
    signed = (Path(request.app.state.s.config.data_dir) / OFFICE_P12).is_file()
    return _render(request, "government.html", viewer=viewer, view=view, g=g, dims=dims,
                   line=line, items=items, band=band, actions=actions, report_signed=signed)


@router.get("/units/{unit_id}")
def unit_page(request: Request, unit_id: str):
    viewer = _who(request)
    if viewer is None:
        return _to_login(request)
    unit = server_results.unit_info(_db(request), unit_id)
    if unit is None or (viewer.scope is not None and unit["team"] != viewer.scope):
        return _not_found(request, viewer)
    return _render(request, "unit.html", viewer=viewer, unit=unit,
                   assessments=server_results.unit_assessments(_db(request), unit_id))


@router.get("/reports/{uuid}/{kind}.pdf")
def report_download(request: Request, uuid: str, kind: str):
    """A signed (or countersigned) assessment report kept on the server, for the unit page."""
    viewer = _who(request)
    if viewer is None:
        return _to_login(request)
    found = server_results.signed_report(_db(request), uuid, kind)
    if found is None or (viewer.scope is not None and found["team"] != viewer.scope):
        return _not_found(request, viewer)
    path = request.app.state.s.blobs.path(found["sha256"])
    if not path.is_file():
        return _not_found(request, viewer)
    return FileResponse(path, media_type="application/pdf", filename=f"{uuid[:8]}-{kind}.pdf")


@router.get("/rounds/{round_id}/review")
def review_page(request: Request, round_id: str):
    viewer = _who(request)
    if viewer is None:
        return _to_login(request)
    view = _view(request, round_id, viewer)
    if view is None:
        return _not_found(request, viewer)
    teams = server_results.review_status(_db(request), round_id)
    if viewer.scope is not None:
        teams = {k: v for k, v in teams.items() if k == viewer.scope}
    return _render(request, "review.html", viewer=viewer, view=view, teams=teams)


# ---------------------------------------------------------------------------- downloads
@router.get("/rounds/{round_id}/ranking.{fmt}")
def ranking_download(request: Request, round_id: str, fmt: str, category: str = "",
                     province: str = ""):
    viewer = _who(request)
    if viewer is None:
        return _to_login(request)
    view = _view(request, round_id, viewer)
    if view is None or fmt not in ("csv", "xlsx"):
        return _not_found(request, viewer)
    header, rows = results_export.ranking_table(view.results, category or None, _lang(request),
                                                province or None)
    return _file(lambda p: results_export.write_table(p, header, rows), f"ranking-{round_id}.{fmt}")


def _admin_table_download(request: Request, round_id: str, fmt: str, kind: str, columns, rows):
    """An admin's download of a whole round's table (``kind``: answers or findings), streamed to
    a CSV or XLSX file; ``rows(database, round_id)`` yields the rows."""
    viewer = _who(request)
    if viewer is None:
        return _to_login(request)
    if viewer.role != "admin" or fmt not in ("csv", "xlsx") or _view(request, round_id, viewer) is None:
        return _not_found(request, viewer)
    database = _db(request)
    return _file(lambda p: results_export.write_table(p, columns, rows(database, round_id),
                                                      sheet=kind), f"{kind}-{round_id}.{fmt}")


@router.get("/rounds/{round_id}/answers.{fmt}")
def answers_download(request: Request, round_id: str, fmt: str):
    return _admin_table_download(request, round_id, fmt, "answers",
                                 server_results.ANSWER_COLUMNS, server_results.iter_answers)


@router.get("/rounds/{round_id}/findings.{fmt}")
def findings_download(request: Request, round_id: str, fmt: str):
    return _admin_table_download(request, round_id, fmt, "findings",
                                 server_results.FINDING_COLUMNS, server_results.iter_findings)


@router.get("/rounds/{round_id}/governments/{gov_id}/report.pdf")
async def government_report(request: Request, round_id: str, gov_id: str):
    """The government's results report; signed by the office when its signing certificate is
    configured (government_report.OFFICE_P12), else unsigned (the page says which)."""
    from ...reports.government import government_pdf
    from ...reports.government_sign import async_sign_government
    from ..government_report import office_signer, server_crl
    viewer = await run_in_threadpool(_who, request)
    if viewer is None:
        return _to_login(request)
    view = await run_in_threadpool(_view, request, round_id, viewer)
    g = view.results.government(gov_id) if view else None
    if g is None:
        return _not_found(request, viewer)
    database, lang = _db(request), _lang(request)
    trend = await run_in_threadpool(server_results.trend, database, gov_id, viewer.scope)
    pdf = await run_in_threadpool(government_pdf, g, view.round, view.template, lang, trend,
                                  view.snapshot)
    signer = await run_in_threadpool(office_signer, request.app.state.s.config.data_dir)
    if signer is not None:
        pdf = await async_sign_government(pdf, signer, crl_der=await run_in_threadpool(
            server_crl, database), lang=lang)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{gov_id}-{round_id}.pdf"',
        "X-Assessor-Signed": "office" if signer is not None else "no"})


def _file(write, filename: str):
    """Write an export to a temporary file (streamed, flat memory), send it, then delete it."""
    folder = Path(tempfile.mkdtemp(prefix="assessor-export-"))
    path = folder / filename
    write(path)

    def cleanup():
        path.unlink(missing_ok=True)
        folder.rmdir()
    media = "text/csv" if filename.endswith(".csv") else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(path, media_type=media, filename=filename, background=BackgroundTask(cleanup))
