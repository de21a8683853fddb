"""One served app for the whole session: the index is estimated once (it takes seconds).

``served`` runs the app with uvicorn on a free loopback port in a thread (the browser tests
load it; its start-up estimates the index); ``client`` is FastAPI's TestClient on the same
app, so API tests share that estimate. The store is built in a temporary folder.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'resetlab[web]'")

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from resetlab.web.app import create_app  # noqa: E402
from resetlab.web.settings import WebSettings  # noqa: E402

from .support import SCENARIOS, Served  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("web_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RESETLAB_HOME", str(home))
        settings = WebSettings(
            store_path=home / "record.duckdb",
            scenarios_dir=SCENARIOS,
            seed=0,
            default_members=64,
            max_members=2000,
            max_horizon=480,
            max_body_bytes=64 * 1024,
            workers=2,
            max_jobs=4,
        )
        app = create_app(settings)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/api/status", timeout=2).json()["ready"]:
                    break
            except (httpx.HTTPError, KeyError):
                pass
            if not thread.is_alive():
                raise RuntimeError("the server thread died on start-up")
            time.sleep(0.2)
        else:
            raise RuntimeError("the app did not estimate the index within 180 s")
        try:
            yield Served(app=app, url=url, settings=settings)
        finally:
            server.should_exit = True
            thread.join(timeout=30)


@pytest.fixture(scope="session")
def client(served: Served) -> TestClient:
    """TestClient on the served app (no second start-up: the lifespan already ran)."""
    return TestClient(served.app)


@pytest.fixture(scope="session")
def reset_2025(client: TestClient) -> dict[str, Any]:
    """The fields of scenarios/reset-2025.yaml as the API gives them."""
    response = client.get("/api/scenarios/reset-2025")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _wait_job(client: TestClient, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen: list[float] = []
    while time.monotonic() < deadline:
        view: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        seen.append(float(view["progress"]))
        if view["status"] in ("done", "failed"):
            view["_progress_seen"] = seen
            return view
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


@pytest.fixture(scope="session")
def wait_job() -> Callable[..., dict[str, Any]]:
    """Poll a job until done or failed; its last view (with ``_progress_seen``)."""
    return _wait_job
