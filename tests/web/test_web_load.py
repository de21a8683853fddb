"""A bounded load test of the served app on loopback: many concurrent requests, no 5xx.

Every request goes to 127.0.0.1 (the session's own uvicorn server); the loops are bounded in
count and time. The default run sends a few hundred requests; the ``slow`` variant a few
thousand, with hostile bodies mixed in.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from typing import Any

import httpx
import pytest

from .support import Served

GETS = (
    "/api/status",
    "/api/index",
    "/api/regimes",
    "/api/resets",
    "/api/events?limit=20",
    "/api/events?limit=-1",
    "/api/events?actor=%5B%2Fbogus%5D",
    "/api/treaties",
    "/api/strategies",
    "/api/scenarios",
    "/api/scenarios/reset-2025",
    "/api/scenarios/..%2F..%2Fetc%2Fpasswd",
    "/api/tables/nope",
    "/api/jobs/nope",
)
BODIES: tuple[tuple[str, bytes], ...] = (
    ("/api/scenarios/validate", b"{oops"),
    ("/api/scenarios/validate", b'{"description": ' + b"[" * 800 + b"]" * 800 + b"}"),
    ("/api/scenarios/validate", b'{"noise": NaN}'),
    ("/api/scenarios/run?members=999999999", b"{}"),
    ("/api/import", b"id,date\n1,2"),  # no token: 403
    ("/api/scenarios/validate", b"\xff\xfe\x00garbage"),
)


async def _hammer(url: str, n: int, concurrency: int, seed: int, deadline_s: float) -> Counter[int]:
    rng = random.Random(seed)
    statuses: Counter[int] = Counter()
    sem = asyncio.Semaphore(concurrency)
    stop = time.monotonic() + deadline_s
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def one(i: int) -> None:
            async with sem:
                if time.monotonic() > stop:
                    return
                if rng.random() < 0.7:
                    r = await client.get(rng.choice(GETS))
                else:
                    path, body = rng.choice(BODIES)
                    r = await client.post(
                        path, content=body, headers={"content-type": "application/json"}
                    )
                statuses[r.status_code] += 1

        await asyncio.gather(*(one(i) for i in range(n)))
    return statuses


def _run(served: Served, n: int, concurrency: int, deadline_s: float) -> dict[str, Any]:
    statuses = asyncio.run(_hammer(served.url, n, concurrency, seed=0, deadline_s=deadline_s))
    assert sum(statuses.values()) > 0
    errors = {s: c for s, c in statuses.items() if s >= 500}
    assert not errors, f"server errors under load: {errors} of {dict(statuses)}"
    # the server still answers normally afterwards
    assert httpx.get(served.url + "/api/status", timeout=30).status_code == 200
    return dict(statuses)


def test_concurrent_requests_get_no_server_error(served: Served) -> None:
    _run(served, n=300, concurrency=16, deadline_s=90)


@pytest.mark.slow
def test_sustained_load_gets_no_server_error(served: Served) -> None:
    _run(served, n=3000, concurrency=64, deadline_s=300)
