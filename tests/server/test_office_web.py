"""The office pages in a real browser (headless Chromium from Debian, driven by Selenium):
login, the results table, sort, province filter, a government page, an export download, the
government report, roles (a provincial office sees its governments; anonymous refused), CSRF
and session expiry. The figures on the page, in the XLSX export and in the PDF report are
compared with each other (they come from the same function).

Set ASSESSOR_OFFICE_SHOTS=DIR to also save screenshots of the pages in both languages.
"""

import os
import shutil
import subprocess
from pathlib import Path

import httpx
import openpyxl
import pytest
import sqlalchemy as sa

from assessor_app.i18n import format_number
from assessor_app.server import db
from assessor_app.server.results import round_results
from assessor_app.server.web.session import set_password

from .serverproc import run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian chromium and chromium-driver are not installed")
PASSWORD = "office-password-1"
ROUND = "Web-Round"


@pytest.fixture(scope="module")
def office(server):
    if not any(r["id"] == ROUND for r in _rounds(server)):
        run_cli("demo-round", "Web Round", "--governments", "40", "--units-per-government", "2",
                "--seed", "7", data=server.data)
    for name, role, team in (("web-admin", "admin", ""),
                             ("web-bali", "supervisor", "Perwakilan Bali")):
        if name not in {u["name"] for u in server.admin.list_users()}:
            server.admin.add_user(name, role, team)
        set_password(server.database, name, PASSWORD)
    return server


REPORT = b"%PDF-1.7 a signed report stands in here\n%%EOF\n"


def _signed_report(server, uuid):
    """A signed report kept for ``uuid`` the way a push with its report leaves it."""
    import hashlib
    sha = hashlib.sha256(REPORT).hexdigest()
    server.admin.blobs.put_whole(sha, REPORT, "test")
    with server.database.write() as conn:
        conn.execute(sa.delete(db.signed_reports).where(db.signed_reports.c.uuid == uuid))
        conn.execute(sa.insert(db.signed_reports).values(uuid=uuid, kind="signed", sha256=sha,
                                                         size=len(REPORT), rev=1,
                                                         at=db.now()))


def _rounds(server):
    from assessor_app.server.register import list_rounds
    return list_rounds(server.database)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def _by(kind):
    from selenium.webdriver.common.by import By
    return getattr(By, kind)


def login(browser, office, name="web-admin", password=PASSWORD, lang="en"):
    browser.delete_all_cookies()
    browser.get(f"{office.url}/office/rounds/{ROUND}?lang={lang}")
    assert "/office/login" in browser.current_url            # anonymous: sent to log in
    browser.find_element(_by("ID"), "name").send_keys(name)
    browser.find_element(_by("ID"), "password").send_keys(password)
    click(browser, "login")


def click(browser, element_id=None, element=None):
    """Click and wait until the next page replaced this one (a form submit or a link)."""
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    old = browser.find_element(_by("TAG_NAME"), "html")
    (element or browser.find_element(_by("ID"), element_id)).click()
    WebDriverWait(browser, 15).until(_replaced(old, EC.staleness_of(old)))


def _replaced(old, stale):
    """``staleness_of``, also when chromedriver answers mid-navigation that the old node "does
    not belong to the document" (an "unknown error" instead of a stale reference: the page was
    replaced all the same)."""
    from selenium.common.exceptions import WebDriverException

    def check(driver):
        try:
            return stale(driver)
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
    return check


def table_rows(browser):
    out = []
    for tr in browser.find_elements(_by("CSS_SELECTOR"), "#results tbody tr[data-gov]"):
        cell = {c: tr.find_element(_by("CSS_SELECTOR"), f"td.{c}").text
                for c in ("rank", "gov", "prov", "score", "band")}
        cell["id"] = tr.get_attribute("data-gov")
        out.append(cell)
    return out


def cookies(browser) -> dict:
    return {c["name"]: c["value"] for c in browser.get_cookies()}


def test_anonymous_is_refused_everywhere(office):
    for path in (f"/office/rounds/{ROUND}", f"/office/rounds/{ROUND}/ranking.xlsx",
                 f"/office/rounds/{ROUND}/governments/KEM-001/report.pdf", "/office/units/KEM-001-U1"):
        r = httpx.get(office.url + path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/office/login")


def test_wrong_password_and_csrf(office, browser):
    login(browser, office, password="not-the-password")
    assert browser.find_element(_by("ID"), "error").text == "Wrong name or password."
    r = httpx.post(office.url + "/office/login", data={"name": "web-admin", "password": PASSWORD,
                                                       "csrf": "forged"})
    assert r.status_code == 403 and "assessor_office" not in r.cookies


def test_results_table_sort_filter_government_and_exports_agree(office, browser, tmp_path):
    login(browser, office)
    assert f"/office/rounds/{ROUND}" in browser.current_url
    click(browser, element=browser.find_element(_by("LINK_TEXT"), "Pemerintah Kabupaten"))
    view = round_results(office.database, ROUND)
    expected = [g for g in view.results.by_category("Pemerintah Kabupaten")]
    rows = table_rows(browser)
    assert [r["id"] for r in rows] == [g.government.id for g in expected]
    for r, g in zip(rows, expected):
        assert r["score"] == format_number(g.score, "en")
        assert r["rank"].split(" ")[0] == (str(g.rank) if g.rank else "–")
        if g.band:
            assert r["band"].endswith(g.band.id + " · " + {"green": "green", "yellow": "yellow",
                                                           "red": "red"}[g.band.zone])
    # sort by score: highest first, then lowest first
    click(browser, "sort-score")
    scores = [float(r["score"]) for r in table_rows(browser) if r["score"] != "–"]
    assert scores == sorted(scores, reverse=True)
    click(browser, "sort-score")
    scores = [float(r["score"]) for r in table_rows(browser) if r["score"] != "–"]
    assert scores == sorted(scores)
    # filter by province
    from selenium.webdriver.support.ui import Select
    province = expected[0].government.province
    Select(browser.find_element(_by("ID"), "province")).select_by_visible_text(province)
    click(browser, "apply")
    filtered = table_rows(browser)
    assert filtered and {r["prov"] for r in filtered} == {province}
    # the XLSX download (with the browser's session) has the page's figures
    href = browser.find_element(_by("ID"), "export-xlsx").get_attribute("href")
    r = httpx.get(href, cookies=cookies(browser))
    assert r.status_code == 200
    (tmp_path / "r.xlsx").write_bytes(r.content)
    xl = list(openpyxl.load_workbook(tmp_path / "r.xlsx").active.iter_rows(min_row=2, values_only=True))
    assert {(x[3], format_number(x[5], "en")) for x in xl} == \
        {(r["gov"], r["score"]) for r in filtered}
    # the government page and its PDF report show the same score and rank
    first = expected[0]
    browser.get(f"{office.url}/office/rounds/{ROUND}/governments/{first.government.id}")
    assert browser.find_element(_by("ID"), "gov-score").text == format_number(first.score, "en")
    assert browser.find_element(_by("ID"), "gov-rank").text.startswith(f"rank {first.rank} of {first.of}")
    units = browser.find_elements(_by("CSS_SELECTOR"), "#units tr td:last-child")
    assert [u.text for u in units] == [format_number(u.score, "en") for u in first.units]
    pdf = httpx.get(browser.find_element(_by("ID"), "report").get_attribute("href"),
                    cookies=cookies(browser))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (tmp_path / "g.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "g.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert format_number(first.score, "en") in text
    assert f"rank {first.rank} of {first.of}" in text
    # the unit page lists its assessment and the signed report sent with it
    _signed_report(office, first.units[0].uuid)
    click(browser, element=browser.find_element(_by("LINK_TEXT"), first.units[0].unit.name))
    assert first.units[0].uuid[:8] in browser.find_element(_by("ID"), "assessments").text
    link = browser.find_element(_by("CSS_SELECTOR"), "#assessments a.report")
    r = httpx.get(link.get_attribute("href"), cookies=cookies(browser))
    assert r.status_code == 200 and r.content == REPORT
    assert httpx.get(link.get_attribute("href")).status_code == 303      # anonymous: refused


def test_provincial_office_sees_only_its_governments(office, browser):
    login(browser, office, name="web-bali")
    browser.get(f"{office.url}/office/rounds/{ROUND}?category=Pemerintah+Kabupaten")
    rows = table_rows(browser)
    assert rows and {r["prov"] for r in rows} == {"Bali"}
    other = next(g for g in round_results(office.database, ROUND).results.governments
                 if g.government.team != "Perwakilan Bali")
    r = httpx.get(f"{office.url}/office/rounds/{ROUND}/governments/{other.government.id}",
                  cookies=cookies(browser))
    assert r.status_code == 404
    r = httpx.get(f"{office.url}/office/rounds/{ROUND}/answers.xlsx", cookies=cookies(browser))
    assert r.status_code == 404                                 # answers: administrators only


def test_logout_needs_the_token_and_sessions_expire(office, browser):
    login(browser, office)
    jar = cookies(browser)
    r = httpx.post(office.url + "/office/logout", data={"csrf": "wrong"}, cookies=jar,
                   follow_redirects=False)
    assert httpx.get(f"{office.url}/office/", cookies=jar).status_code == 200   # still logged in
    with office.database.write() as conn:
        conn.execute(sa.update(db.web_sessions).values(expires_at="2000-01-01T00:00:00.000Z"))
    r = httpx.get(f"{office.url}/office/", cookies=jar, follow_redirects=False)
    assert r.status_code == 303 and "/office/login" in r.headers["location"]
    login(browser, office)
    click(browser, "logout")
    assert "/office/login" in browser.current_url
    r = httpx.get(f"{office.url}/office/", cookies=jar, follow_redirects=False)
    assert r.status_code == 303


@pytest.mark.skipif(not os.environ.get("ASSESSOR_OFFICE_SHOTS"), reason="screenshots on request")
def test_screenshots(office, browser):
    out = Path(os.environ["ASSESSOR_OFFICE_SHOTS"])
    gov = round_results(office.database, ROUND).results.by_category("Pemerintah Kabupaten")[0]
    for lang in ("en", "id"):
        login(browser, office, lang=lang)
        browser.get(f"{office.url}/office/rounds/{ROUND}?category=Pemerintah+Kabupaten&lang={lang}")
        browser.save_screenshot(str(out / f"office-results-{lang}.png"))
        browser.get(f"{office.url}/office/rounds/{ROUND}/governments/{gov.government.id}?lang={lang}")
        browser.save_screenshot(str(out / f"office-government-{lang}.png"))
        browser.get(f"{office.url}/office/rounds/{ROUND}/review?lang={lang}")
        browser.save_screenshot(str(out / f"office-review-{lang}.png"))
    browser.delete_all_cookies()
    browser.get(f"{office.url}/office/login?lang=id")
    browser.save_screenshot(str(out / "office-login-id.png"))
