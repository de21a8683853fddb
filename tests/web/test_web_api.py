"""The JSON API through FastAPI's TestClient: forms, filters, jobs, bounds and errors."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from resetlab.exceptions import InputError
from resetlab.web.app import create_app
from resetlab.web.jobs import JobManager, scenario_from_fields
from resetlab.web.settings import WebSettings

from .support import SCENARIOS, TOKEN, Served

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WaitJob = Callable[..., dict[str, Any]]


# ------------------------------------------------------------------ index and record
def test_index_rows_have_bands_in_order(client: TestClient) -> None:
    rows = client.get("/api/index").json()
    assert len(rows) > 300
    months = [r["month"] for r in rows]
    assert months == sorted(months) and len(set(months)) == len(months)
    steps = pd.PeriodIndex(months, freq="M").asi8
    assert (np.diff(steps) == 1).all(), "the index has a gap"
    for r in rows:
        assert {"month", "score", "lo80", "hi80", "lo95", "hi95"} <= set(r)
        assert r["lo95"] <= r["lo80"] <= r["score"] <= r["hi80"] <= r["hi95"]


def test_index_matches_the_analysis(served: Served, client: TestClient) -> None:
    frame = served.app.state.data.analysis().index.frame
    rows = client.get("/api/index").json()
    assert [r["score"] for r in rows] == pytest.approx(frame["score"].tolist())


def test_event_search_finds_start_with_sources(client: TestClient) -> None:
    response = client.get("/api/events", params={"q": "START"})
    rows = response.json()
    assert response.status_code == 200 and rows
    assert int(response.headers["X-Total-Count"]) == len(rows)
    for r in rows:
        assert "start" in r["summary"].lower()
        assert r["date"] and r["source"]
    signed = [r for r in rows if r["id"] == "2010-04-08-new-start-signed"]
    assert signed and signed[0]["date"] == "2010-04-08"
    assert signed[0]["source_url"].startswith("http")


def test_event_search_all_words_case_insensitive(client: TestClient) -> None:
    both = client.get("/api/events", params={"q": "new start"}).json()
    one = client.get("/api/events", params={"q": "start"}).json()
    assert both and len(both) <= len(one)
    assert all("new" in r["summary"].lower() for r in both)


def test_event_filters_by_date_domain_and_actor(client: TestClient) -> None:
    rows = client.get(
        "/api/events", params={"from": "2009-02", "to": "2011", "domain": "arms_control"}
    ).json()
    assert rows
    for r in rows:
        assert "2009-02-01" <= r["day"] <= "2011-12-31"
        assert r["domain"] == "arms_control"
    rus = client.get("/api/events", params={"actor": "rus", "from": "2014", "to": "2014"}).json()
    assert rus and all("RUS" in (r["actor"], r["target"]) for r in rus)
    everything = client.get("/api/events", params={"limit": 5000}).json()
    assert len(rus) < len(everything)


def test_event_paging(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 5, "offset": 0}).json()
    second = client.get("/api/events", params={"limit": 5, "offset": 5}).json()
    assert len(first) == 5 and len(second) == 5
    assert not {r["id"] for r in first} & {r["id"] for r in second}


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"from": "2009-13"}, "from"),
        ({"from": "last year"}, "from"),
        ({"from": "2012", "to": "2010"}, "before"),
        ({"domain": "nonsense"}, "unknown nonsense"),
        ({"limit": 100000}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_event_queries_get_422_with_message(
    client: TestClient, params: dict[str, Any], words: str
) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_resets_and_regimes(client: TestClient) -> None:
    card = client.get("/api/resets").json()
    assert card and {r["kind"] for r in card} <= {"reset", "breakdown"}
    resets = client.get("/api/resets", params={"kind": "reset"}).json()
    assert resets and all(r["kind"] == "reset" for r in resets)
    assert len(resets) < len(card)
    assert client.get("/api/resets", params={"kind": "maybe"}).status_code == 422
    regimes = client.get("/api/regimes").json()
    segs = regimes["segments"]
    assert len(segs) == len(regimes["shifts"]) + 1
    assert all(a["end"] < b["start"] for a, b in zip(segs, segs[1:], strict=False))


def test_treaties_and_tables(client: TestClient) -> None:
    body = client.get("/api/treaties").json()
    assert body["treaties"] and body["treaty_events"]
    assert client.get("/api/tables/elections").json()
    response = client.get("/api/tables/secrets")
    assert response.status_code == 404 and "tables:" in response.json()["detail"]


def test_index_figure_holds_the_index_and_events(client: TestClient) -> None:
    fig = client.get("/api/figures/index").json()
    names = [t.get("name") for t in fig["data"]]
    assert "index" in names
    index_trace = fig["data"][names.index("index")]
    assert len(index_trace["x"]) == len(client.get("/api/index").json())
    markers = [t for t in fig["data"] if t.get("mode") == "markers"]
    n_events = sum(len(t["x"]) for t in markers)
    assert n_events == len(client.get("/api/events", params={"limit": 5000}).json())


# ------------------------------------------------------------------ the page
def test_page_and_assets_are_local(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and not [r for r in refs if r.startswith(("http:", "https:", "//"))]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert client.get("/static/app.js").status_code == 200
    spec = client.get("/openapi.json").json()
    for path in ("/api/index", "/api/events", "/api/scenarios/run", "/api/jobs/{job_id}"):
        assert path in spec["paths"]


# ------------------------------------------------------------------ scenarios and jobs
def test_scenarios_listed_and_served(client: TestClient) -> None:
    names = {s["name"] for s in client.get("/api/scenarios").json()}
    assert names == {p.stem for p in SCENARIOS.glob("*.yaml")}
    missing = client.get("/api/scenarios/../../etc/passwd")
    assert missing.status_code == 404
    strategies = client.get("/api/strategies").json()
    assert strategies["tit-for-tat"]["params"] == {"initial": 1.0}


def test_run_scenario_to_the_end(
    client: TestClient, reset_2025: dict[str, Any], wait_job: WaitJob
) -> None:
    response = client.post(
        "/api/scenarios/run", params={"members": 200, "seed": 7}, json=reset_2025
    )
    assert response.status_code == 202
    job = wait_job(client, response.json()["job_id"])
    assert job["status"] == "done", job.get("error")
    assert job["progress"] == 1.0
    seen = job["_progress_seen"]
    assert seen == sorted(seen)
    q = job["quantiles"]
    assert len(q) == reset_2025["horizon"]
    assert q[0]["month"] == reset_2025["start"]
    for row in q:
        assert row["q05"] <= row["q25"] <= row["q50"] <= row["q75"] <= row["q95"]
        assert -10 <= row["q05"] and row["q95"] <= 10
    assert job["start_level"] == reset_2025["initial"]["relations"]
    assert 0.0 <= job["hold"]["24"] <= job["hold"]["12"] <= 1.0
    assert job["members"] == 200 and job["seed"] == 7


def test_same_seed_same_numbers_other_seed_other_numbers(
    client: TestClient, reset_2025: dict[str, Any], wait_job: WaitJob
) -> None:
    def run(seed: int) -> list[float]:
        r = client.post("/api/scenarios/run", params={"members": 50, "seed": seed}, json=reset_2025)
        job = wait_job(client, r.json()["job_id"])
        return [row["q50"] for row in job["quantiles"]]

    a, b, c = run(11), run(11), run(12)
    assert a == b
    assert a != c


def test_scenario_edits_change_the_result(
    client: TestClient, reset_2025: dict[str, Any], wait_job: WaitJob
) -> None:
    hostile = copy.deepcopy(reset_2025)
    hostile["strategies"]["us"] = {"key": "hardline", "params": {"level": 0.0}}
    hostile["strategies"]["ru"] = {"key": "hardline", "params": {"level": 0.0}}
    friendly = copy.deepcopy(reset_2025)
    friendly["strategies"]["us"] = {"key": "hardline", "params": {"level": 1.0}}
    friendly["strategies"]["ru"] = {"key": "hardline", "params": {"level": 1.0}}
    means = []
    for fields in (hostile, friendly):
        r = client.post("/api/scenarios/run", params={"members": 50, "seed": 1}, json=fields)
        job = wait_job(client, r.json()["job_id"])
        assert job["status"] == "done", job.get("error")
        means.append(np.mean([row["mean"] for row in job["quantiles"]]))
    assert means[0] < means[1]


def test_bad_scenario_lists_fields(client: TestClient, reset_2025: dict[str, Any]) -> None:
    bad = copy.deepcopy(reset_2025)
    bad["strategies"]["us"]["key"] = "appeasement"
    del bad["initial"]["trust"]
    response = client.post("/api/scenarios/run", json=bad)
    assert response.status_code == 422
    fields = {p["field"]: p["message"] for p in response.json()["problems"]}
    assert "strategies.us.key" in fields and "appeasement" in fields["strategies.us.key"]
    assert "initial.trust" in fields
    missing = copy.deepcopy(reset_2025)
    del missing["noise"]
    response = client.post("/api/scenarios/validate", json=missing)
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["noise"]
    assert client.post("/api/scenarios/validate", json=reset_2025).json()["ok"] is True


@pytest.mark.parametrize(
    ("params", "body", "status"),
    [
        ({"members": 10**6}, None, 422),
        ({"members": 0}, None, 422),
        ({"seed": -1}, None, 422),
        ({}, [1, 2, 3], 422),
        ({}, "not a scenario", 422),
    ],
)
def test_run_bounds(
    client: TestClient,
    reset_2025: dict[str, Any],
    params: dict[str, Any],
    body: Any,
    status: int,
) -> None:
    response = client.post(
        "/api/scenarios/run", params=params, json=reset_2025 if body is None else body
    )
    assert response.status_code == status
    assert response.json()["detail"]


def test_horizon_and_body_bounds(client: TestClient, reset_2025: dict[str, Any]) -> None:
    long = dict(reset_2025, horizon=1000)
    response = client.post("/api/scenarios/run", json=long)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "horizon"
    huge = dict(reset_2025, description="x" * 100_000)
    response = client.post("/api/scenarios/run", json=huge)
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    garbage = client.post(
        "/api/scenarios/run", content=b"{oops", headers={"content-type": "application/json"}
    )
    assert garbage.status_code == 422


def test_unknown_job_is_404(client: TestClient) -> None:
    response = client.get("/api/jobs/nope")
    assert response.status_code == 404 and "no job" in response.json()["detail"]


def test_too_many_jobs_is_refused(reset_2025: dict[str, Any]) -> None:
    settings = WebSettings(scenarios_dir=SCENARIOS, workers=1, max_jobs=1)
    jobs = JobManager(settings)
    scenario = scenario_from_fields(reset_2025, None)
    try:
        jobs.submit(scenario, members=2000, seed=0)
        from resetlab.exceptions import Busy

        with pytest.raises(Busy, match="limit 1"):
            jobs.submit(scenario, members=10, seed=0)
    finally:
        jobs.shutdown()


# ------------------------------------------------------------------ writing needs a token
def test_read_only_server_refuses_imports(client: TestClient) -> None:
    response = client.post(
        "/api/import", content=b"id,date\n", headers={"authorization": "Bearer x"}
    )
    assert response.status_code == 403 and "--token" in response.json()["detail"]


def test_import_with_token(tmp_path: Path) -> None:
    settings = WebSettings(store_path=tmp_path / "record.duckdb", token=TOKEN)
    client = TestClient(create_app(settings))  # no lifespan: no index estimation needed here
    good = (FIXTURES / "events_sample.csv").read_bytes()
    params = {"name": "events_sample.csv", "format": "csv"}
    wrong = client.post(
        "/api/import", params=params, content=good, headers={"authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    bad = client.post(
        "/api/import",
        params={"name": "events_bad.csv"},
        content=(FIXTURES / "events_bad.csv").read_bytes(),
        headers={"authorization": f"Bearer {TOKEN}"},
    )
    assert bad.status_code == 422
    problems = bad.json()["problems"]
    assert problems and all(p["file"] == "events_bad.csv" and p["line"] for p in problems)
    assert client.get("/api/events", params={"q": "Synthetic"}).json() == []
    ok = client.post(
        "/api/import", params=params, content=good, headers={"x-resetlab-token": TOKEN}
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["added"] == 3
    found = client.get("/api/events", params={"q": "Synthetic", "all_dyads": True}).json()
    assert {r["id"] for r in found} == {"test-001", "test-002", "test-003"}
    dyad = client.get("/api/events", params={"q": "Synthetic"}).json()
    assert {r["id"] for r in dyad} == {"test-001", "test-002"}
    empty = client.post("/api/import", params=params, headers={"x-resetlab-token": TOKEN})
    assert empty.status_code == 422


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "resetlab.cli", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_reads_work_while_a_server_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "record.duckdb"
    settings = WebSettings(store_path=path, token=TOKEN)
    service = create_app(settings)
    client = TestClient(service)
    assert client.get("/api/events", params={"q": "reset"}).status_code == 200  # store open
    info = _cli("record", "info", "--store", str(path))  # another process reads meanwhile
    assert info.returncode == 0, info.stderr
    good = (FIXTURES / "events_sample.csv").read_bytes()
    ok = client.post(
        "/api/import", params={"name": "events_sample.csv", "format": "csv"}, content=good,
        headers={"x-resetlab-token": TOKEN},
    )  # fmt: skip
    assert ok.status_code == 201, ok.text  # the server takes the write lock only to write
    again = _cli("record", "info", "--store", str(path))
    assert again.returncode == 0, again.stderr


def test_runs_read_the_served_store_s_record(
    tmp_path: Path, reset_2025: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from resetlab.web import jobs as jobs_module
    from resetlab.web.data import DataService

    settings = WebSettings(store_path=tmp_path / "record.duckdb", token=TOKEN, workers=1)
    data = DataService(settings)  # not started: no index estimation here
    try:
        before = data.record()
        data.import_bytes((FIXTURES / "events_sample.csv").read_bytes(), "e.csv", "csv", None)
        after = data.record()
        assert len(after.events) == len(before.events) + 3
        assert {"test-001", "test-002", "test-003"} <= set(after.events["id"])
        seen: list[Any] = []

        def capture(scenario: Any, forcing: Any = None, record: Any = None) -> Any:
            seen.append(record)
            raise RuntimeError("captured")

        monkeypatch.setattr(jobs_module, "build_spec", capture)
        jobs = JobManager(settings, data.record)
        try:
            job = jobs.submit(scenario_from_fields(reset_2025, None), members=10, seed=0)
            for _ in range(200):
                if (view := jobs.get(job.id)) is not None and view["status"] == "failed":
                    break
                time.sleep(0.02)
        finally:
            jobs.shutdown()
        assert len(seen) == 1 and "test-002" in set(seen[0].events["id"])
    finally:
        data.close()


# ------------------------------------------------------------------ the command
def test_serve_command_is_registered() -> None:
    from resetlab.web.cli import register

    app = typer.Typer()
    register(app)

    @app.command("other")
    def other() -> None:  # a second command so that typer keeps subcommands
        """Placeholder."""

    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--token"):
        assert option in result.output
    short = runner.invoke(app, ["serve", "--token", "abc"])
    assert short.exit_code == 2 and "8 characters" in short.output


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(InputError, match="workers"):
        WebSettings(workers=0)
    with pytest.raises(InputError, match="default_members"):
        WebSettings(default_members=10, max_members=5)
    assert WebSettings().read_only and not WebSettings(token=TOKEN).read_only


def test_scenario_names_and_numbers_are_checked_before_loading(
    client: TestClient, reset_2025: dict[str, Any]
) -> None:
    escape = dict(reset_2025, perspective="../scenarios/reset-2025", mechanisms=None)
    response = client.post("/api/scenarios/run", json=escape)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "perspective"
    text = json.dumps(dict(reset_2025, noise=float("nan")))
    response = client.post(
        "/api/scenarios/run", content=text, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {
            "file": "request body",
            "line": None,
            "field": "noise",
            "message": "must be a finite number",
        }
    ]


def test_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536  # 2.5 MiB in all, no Content-Length

    response = client.post(
        "/api/scenarios/run", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "limit" in response.json()["detail"]


def test_chunked_body_under_the_limit_still_reaches_the_route(
    client: TestClient, reset_2025: dict[str, Any]
) -> None:
    body = json.dumps(dict(reset_2025, horizon=1000)).encode()

    def chunks() -> Iterator[bytes]:
        yield body[:100]
        yield body[100:]

    response = client.post(
        "/api/scenarios/run", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and response.json()["problems"][0]["field"] == "horizon"


@pytest.mark.parametrize("depth", [100, 900])
def test_deeply_nested_body_is_422_and_the_server_carries_on(
    client: TestClient, reset_2025: dict[str, Any], depth: int
) -> None:
    deep = b'{"description": ' + b"[" * depth + b"]" * depth + b"}"
    response = client.post(
        "/api/scenarios/run", content=deep, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert "nested deeper" in response.json()["detail"]
    assert client.get("/api/jobs/nope").status_code == 404
