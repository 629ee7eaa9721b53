"""Editing the register (SQLite, and PostgreSQL when set): `assessor-server register
set-government|set-unit|remove-unit` (one line, exit 2 on bad input, nothing changed), the
office's admin forms over HTTP (CSRF refused, errors at their field, nothing changed on error,
a unit added and removed, a supervisor refused) and one edit in a real browser. Set
ASSESSOR_OFFICE_SHOTS=DIR to also save a screenshot of the edit form."""

import os
from pathlib import Path

import httpx
import pytest

from assessor_app.server import register
from assessor_app.server.web import session

from .serverproc import run_cli
from .test_office_web import CHROMIUM, DRIVER, PASSWORD, browser, click, login, office  # noqa: F401

GOV = "KEM-001"
ROUND = "Web-Round"


def _gov(server, gid=GOV):
    return next(g for g in register.list_governments(server.database) if g["id"] == gid)


def _units(server, gid=GOV):
    from assessor_app.server.register_edit import government
    return {u["id"]: u for u in government(server.database, gid)["units"]}


def test_cli_edits_and_refuses_bad_input(office):
    d = {"data": office.data}
    run = run_cli("register", "set-government", GOV, "--province", "DKI Jakarta", "--team",
                  "Perwakilan Jakarta", **d)
    assert "changed" in run.stdout and run.stdout.count("\n") == 1
    g = _gov(office)
    assert (g["province"], g["team"]) == ("DKI Jakarta", "Perwakilan Jakarta")
    before = _gov(office)
    for args in (["set-government", GOV, "--name", "  "], ["set-government", "NOPE", "--name", "x"],
                 ["set-government", GOV], ["set-unit", "bad id!", "--government", GOV, "--name", "x"],
                 ["set-unit", "NEW-U", "--name", "x"], ["set-unit", "NEW-U", "--government", GOV],
                 ["remove-unit", "NOPE"], ["remove-unit", f"{GOV}-U1"]):
        run = run_cli("register", *args, check=False, **d)
        assert run.returncode == 2 and run.stderr.count("\n") == 1, (args, run.stderr)
        assert "Traceback" not in run.stderr
    assert "assessments refer to" in run.stderr                       # U1 has assessments
    assert _gov(office) == before and "NEW-U" not in _units(office)
    run = run_cli("register", "set-unit", "KEM-001-U9", "--government", GOV, "--name",
                  "Kantor Imigrasi", "--address", "Jl. Baru 9", **d)
    assert "added" in run.stdout
    assert _units(office)["KEM-001-U9"]["name"] == "Kantor Imigrasi"
    run_cli("register", "set-unit", "KEM-001-U9", "--name", "Kantor Imigrasi Kelas I", **d)
    assert _units(office)["KEM-001-U9"]["address"] == "Jl. Baru 9"
    assert _units(office)["KEM-001-U9"]["name"] == "Kantor Imigrasi Kelas I"
    run_cli("register", "remove-unit", "KEM-001-U9", **d)
    assert "KEM-001-U9" not in _units(office)


def _jar(server, name="web-admin"):
    token = session.login(server.database, name, PASSWORD)
    return {session.COOKIE: token}, session.viewer(server.database, token).csrf


def test_forms_check_csrf_fields_and_role(office):
    jar, csrf = _jar(office)
    url = f"{office.url}/office/register/{GOV}"
    before = _gov(office)
    page = httpx.get(url + "?lang=en", cookies=jar)
    assert page.status_code == 200 and f'value="{before["name"]}"' in page.text
    form = {"name": "Kementerian Baru", "category": before["category"], "province": "",
            "team": before["team"]}
    r = httpx.post(url, data={**form, "csrf": "forged"}, cookies=jar)
    assert r.status_code == 403 and _gov(office) == before
    r = httpx.post(url + "?lang=en", data={**form, "category": " ", "csrf": csrf}, cookies=jar)
    assert r.status_code == 400 and 'id="category-error"' in r.text
    assert "cannot be empty" in r.text and 'value="Kementerian Baru"' in r.text  # input kept
    assert _gov(office) == before                                        # nothing changed
    r = httpx.post(url + "?lang=id", data={**form, "name": "x" * 301, "csrf": csrf}, cookies=jar)
    assert r.status_code == 400 and "paling banyak 300 karakter" in r.text
    # units: add, error at the field, remove
    r = httpx.post(url + "/units", data={"unit_id": "KEM-001-U7", "unit_name": "Loket Baru",
                                         "address": "", "csrf": csrf}, cookies=jar,
                   follow_redirects=False)
    assert r.status_code == 303 and _units(office)["KEM-001-U7"]["name"] == "Loket Baru"
    r = httpx.post(url + "/units?lang=en", data={"unit_id": "KEM-001-U8", "unit_name": "",
                                                 "csrf": csrf}, cookies=jar)
    assert r.status_code == 400 and 'id="unit_name-error"' in r.text
    assert "KEM-001-U8" not in _units(office)
    r = httpx.post(url + "/units/KEM-001-U7/remove", data={"csrf": csrf}, cookies=jar,
                   follow_redirects=False)
    assert r.status_code == 303 and "KEM-001-U7" not in _units(office)
    r = httpx.post(url + "/units/KEM-001-U1/remove?lang=en", data={"csrf": csrf}, cookies=jar)
    assert r.status_code == 400 and "assessments refer to" in r.text
    # a supervisor may not edit
    sup, sup_csrf = _jar(office, "web-bali")
    assert httpx.get(url, cookies=sup).status_code == 404
    r = httpx.post(url, data={**form, "csrf": sup_csrf}, cookies=sup)
    assert r.status_code == 404 and _gov(office) == before


def _wait(browser, element_id):
    """The element once the page that follows a submit has loaded it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.ID, element_id)))


def test_one_edit_in_the_browser(office, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    login(browser, office)
    browser.get(f"{office.url}/office/rounds/{ROUND}/governments/{GOV}?lang=en")
    click(browser, "edit-register")
    field = _wait(browser, "province")
    field.clear()
    field.send_keys("Papua")
    if os.environ.get("ASSESSOR_OFFICE_SHOTS"):
        browser.save_screenshot(str(Path(os.environ["ASSESSOR_OFFICE_SHOTS"]) / "office-register-edit-en.png"))
    click(browser, "save-government")
    assert _wait(browser, "saved").is_displayed()
    assert browser.find_element(By.ID, "province").get_attribute("value") == "Papua"
    assert _gov(office)["province"] == "Papua"
    name = browser.find_element(By.ID, "name")
    kept = name.get_attribute("value")
    name.clear()
    click(browser, "save-government")
    assert _wait(browser, "name-error").text == "this field cannot be empty"
    assert _gov(office)["name"] == kept
