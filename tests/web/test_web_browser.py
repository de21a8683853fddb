"""The page in Debian's Chromium (Playwright): charts hold data, search works, a run finishes.

Set ``RESETLAB_WEB_SCREENSHOTS=docs`` to write ``docs/web-index.png`` and
``docs/web-scenario.png`` while the tests run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import Served

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # a browser and a server per test; make test and CI run them
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is absent: run scripts/install_browser.sh (apt-get install chromium)",
    ),
]


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("RESETLAB_WEB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright  # a test dependency: fail if missing

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser: Any, served: Served) -> Iterator[Any]:
    """A loaded page; fails the test if it asks for anything outside the app or logs errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(served.url) else outside.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text  # 4xx we provoke
            else None
        ),
    )
    pg.goto(served.url + "/")
    pg.wait_for_selector("body[data-ready='1']", timeout=60_000)
    yield pg
    context.close()
    assert not outside, f"the page requested outside resources: {outside}"
    assert not errors, f"errors in the page: {errors}"


def test_index_chart_holds_the_index_events_and_regimes(page: Any, served: Served) -> None:
    n_months = len(served.app.state.data.analysis().index.frame)
    n_events = len(served.app.state.data.events())
    n_regimes = len(served.app.state.data.analysis().regimes.segments)
    info = page.evaluate(
        """() => {
        const d = document.getElementById('index-chart');
        const traces = d.data.map(t => ({name: t.name, mode: t.mode, n: (t.x || []).length}));
        const shapes = (d.layout.shapes || []).length;
        const drawn = d.querySelectorAll('.scatterlayer .trace').length;
        return {traces, shapes, drawn};
    }"""
    )
    index = [t for t in info["traces"] if t["name"] == "index"]
    assert index and index[0]["n"] == n_months
    assert sum(t["n"] for t in info["traces"] if t["mode"] == "markers") == n_events
    assert info["shapes"] == n_regimes  # one shaded rectangle per regime
    assert info["drawn"] >= len(info["traces"]) - 1
    rows = page.locator("#resets-table tbody tr")
    assert rows.count() == len(served.app.state.data.analysis().scorecard)
    _shot(page, "web-index.png")


def test_event_search_in_the_table(page: Any) -> None:
    before = page.locator("#events-table tbody tr").count()
    page.fill("#q", "START")
    page.click("#event-search button[type=submit]")
    page.wait_for_function(
        "() => /^\\d+ event/.test(document.getElementById('event-count').textContent)"
        f" && document.querySelectorAll('#events-table tbody tr').length < {before}"
    )
    summaries = page.locator("#events-table td.summary").all_inner_texts()
    assert summaries and all("start" in s.lower() for s in summaries)
    count = page.inner_text("#event-count")
    assert count.startswith(f"{len(summaries)} event")
    hrefs = page.eval_on_selector_all("#events-table a", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith("http") for h in hrefs)
    page.fill("#q", "")
    page.fill("#from", "2019-08")
    page.fill("#to", "2019-08")
    page.click("#event-search button[type=submit]")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#events-table tbody tr td:first-child')]"
        ".every(td => td.textContent.startsWith('2019-08'))"
    )
    dates = page.locator("#events-table tbody tr td:first-child").all_inner_texts()
    assert dates and all(d.startswith("2019-08") for d in dates)


def test_run_a_scenario_to_the_end(page: Any) -> None:
    page.select_option("#scenario-select", "reset-2025")
    page.wait_for_function(
        "() => JSON.parse(document.getElementById('scenario-json').value).name === 'reset-2025'"
    )
    page.select_option("#strategy-ru", "generous-tit-for-tat")
    assert page.locator("#params-ru input[data-param='generosity']").count() == 1
    page.fill("#members", "120")
    page.fill("#seed", "3")
    slider = page.locator("#lever-arms")
    slider.evaluate("(e) => { e.value = '0.8'; e.dispatchEvent(new Event('input')); }")
    sent = page.evaluate("() => JSON.parse(document.getElementById('scenario-json').value)")
    assert sent["strategies"]["ru"]["key"] == "generous-tit-for-tat"
    assert sent["levers"]["tracks"][0]["arms"] == 0.8
    page.click("#run-button")
    page.wait_for_selector("#hold-table:not([hidden])", timeout=60_000)
    assert page.eval_on_selector("#run-progress", "e => e.value") == 1
    assert page.inner_text("#run-status").startswith("done")
    fan = page.evaluate(
        """() => document.getElementById('fan-chart').data.map(
            t => ({name: t.name, n: t.x.length, y: t.y}))"""
    )
    assert len(fan) == 6
    median = next(t for t in fan if t["name"] == "median")
    assert median["n"] == sent["horizon"]
    assert all(-10 <= v <= 10 for v in median["y"])
    rows = page.locator("#hold-table tbody tr")
    assert rows.count() == 2
    cells = page.locator("#hold-table tbody td").all_inner_texts()
    assert cells[0] == "12 months" and cells[1].endswith("%")
    _shot(page, "web-scenario.png")


def test_a_bad_edit_shows_the_field(page: Any) -> None:
    page.evaluate(
        """() => {
        const t = document.getElementById('scenario-json');
        const s = JSON.parse(t.value); s.strategies.us.key = 'appeasement';
        t.value = JSON.stringify(s); t.dispatchEvent(new Event('change'));
    }"""
    )
    page.click("#run-button")
    page.wait_for_selector("#scenario-errors:not([hidden])")
    text = page.inner_text("#scenario-errors")
    assert "strategies.us.key" in text and "appeasement" in text
