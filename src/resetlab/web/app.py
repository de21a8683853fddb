"""The FastAPI app: the JSON API (OpenAPI at ``/docs`` and ``/openapi.json``) and the page.

Every asset, plotly.js included, is served from this app (the page works offline; the
Content-Security-Policy allows scripts from this origin only). Bad requests get a 4xx whose
JSON says what is wrong (``detail``, and ``problems`` with the field for a scenario or an
import), never a 500.
"""

from __future__ import annotations

import functools
import hmac
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import yaml
from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from resetlab import __version__
from resetlab.exceptions import (
    ApiError,
    BadQuery,
    Busy,
    ModelError,
    NotReady,
    Problem,
    RecordError,
    ResetlabError,
    ScenarioError,
    StoreError,
)
from resetlab.web.data import DataService, records
from resetlab.web.jobs import BODY, JobManager, scenario_from_fields
from resetlab.web.settings import WebSettings

STATIC = Path(__file__).parent / "static"
TABLES: tuple[str, ...] = ("treaties", "treaty_events", "elections", "leaders", "unga_agreement")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'"
)
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: refuse a request body over ``limit`` bytes with 413."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = JSONResponse(
            {"detail": f"request body over the limit of {self.limit} bytes"}, status_code=413
        )
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0 or declared > self.limit:
                await too_big(scope, receive, send)
                return
        if length is not None:
            await self.app(scope, receive, send)
            return
        # No Content-Length (a chunked body): read it here, up to the limit, so that an
        # oversized body gets 413 before any route parses it, then replay it to the app.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await too_big(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@functools.cache
def plotly_js() -> bytes:
    """plotly.js from the installed plotly package (no CDN)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "line": p.line, "field": p.field, "message": p.message} for p in problems
    ]


def _error_response(
    status: int, detail: str, problems: list[Problem] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if problems:
        body["problems"] = _problems(problems)
    return JSONResponse(body, status_code=status)


def _status_of(exc: ResetlabError) -> int:
    if isinstance(exc, NotReady):
        return 503
    if isinstance(exc, Busy):
        return 429
    if isinstance(exc, ScenarioError | RecordError | BadQuery | ModelError):
        return 422
    if isinstance(exc, StoreError):
        return 503
    return 400


def _scenario_files(settings: WebSettings) -> dict[str, Path]:
    folder = settings.scenario_folder()
    if folder is None or not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def _strategies() -> dict[str, Any]:
    import dataclasses

    from resetlab.model.strategies import STRATEGIES

    out: dict[str, Any] = {}
    for key, cls in STRATEGIES.items():
        doc = (cls.__doc__ or "").strip().splitlines()
        out[key] = {
            "description": doc[0] if doc else "",
            "params": {f.name: f.default for f in dataclasses.fields(cls.Params)},
        }
    return out


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The app for ``settings`` (read-only, built-in store and ``./scenarios`` by default)."""
    settings = settings or WebSettings()
    data = DataService(settings)
    jobs = JobManager(settings, data.record)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        data.start()
        yield
        jobs.shutdown()
        data.close()

    app = FastAPI(
        title="resetlab",
        summary="U.S.-Russia relations: the index, the record, and scenario runs.",
        version=__version__,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.data = data
    app.state.jobs = jobs
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if not request.url.path.startswith("/docs"):
            response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    # -- errors: 4xx with a message ---------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc.status, exc.detail, exc.problems)

    @app.exception_handler(ResetlabError)
    async def _resetlab_error(_: Request, exc: ResetlabError) -> JSONResponse:
        problems = getattr(exc, "problems", None)
        detail = str(exc).split("\n", 1)[0] if problems else str(exc)
        return _error_response(_status_of(exc), detail, problems)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            Problem("request", None, ".".join(str(p) for p in e.get("loc", ())), str(e.get("msg")))
            for e in exc.errors()
        ]
        detail = "; ".join(f"{p.field}: {p.message}" for p in problems) or "bad request"
        return _error_response(422, detail, problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error_response(exc.status_code, str(exc.detail))

    # -- the page ----------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(
            plotly_js(),
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- the measured relationship ----------------------------------------------------
    @app.get("/api/status", tags=["record"])
    def status() -> dict[str, Any]:
        """Whether the index is ready; read-only or not; job load."""
        out = data.status()
        out["jobs_active"] = jobs.active()
        out["limits"] = {
            "max_members": settings.max_members,
            "max_horizon": settings.max_horizon,
            "max_body_bytes": settings.max_body_bytes,
            "workers": settings.workers,
            "max_jobs": settings.max_jobs,
        }
        return out

    @app.get("/api/index", tags=["index"])
    def index() -> list[dict[str, Any]]:
        """The monthly relations index (Goldstein units) with its 80% and 95% bands."""
        f = data.analysis().index.frame
        cols = [c for c in ("month", "score", "sd", "lo80", "hi80", "lo95", "hi95") if c in f]
        return records(f[cols])

    @app.get("/api/regimes", tags=["index"])
    def regimes() -> dict[str, Any]:
        """Regimes (segments between change points) and the shifts between them."""
        r = data.analysis().regimes
        return {"segments": records(r.segments), "shifts": records(r.shifts)}

    @app.get("/api/resets", tags=["index"])
    def resets(
        kind: str | None = Query(None, description="reset or breakdown (both by default)"),
    ) -> list[dict[str, Any]]:
        """The scorecard: each reset and breakdown with start, peak, duration, what ended it."""
        card = data.analysis().scorecard
        if kind is not None:
            if kind not in ("reset", "breakdown"):
                raise ApiError(422, f"kind: {kind!r} is not reset or breakdown")
            card = card[card["kind"] == kind]
        return records(card)

    @app.get("/api/figures/index", tags=["index"])
    def index_figure() -> Response:
        """The index chart of the report (index, bands, regimes, events) as plotly JSON."""
        return Response(data.index_figure_json(), media_type="application/json")

    @app.get("/api/events", tags=["record"])
    def events(
        response: Response,
        q: str | None = Query(None, max_length=200, description="words all found in the summary"),
        from_: str | None = Query(None, alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD"),
        to: str | None = Query(None, description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)"),
        domain: str | None = Query(None, max_length=200, description="domains, comma-separated"),
        actor: str | None = Query(None, max_length=10, description="actor code, e.g. RUS"),
        all_dyads: bool = Query(False, description="include events of other pairs of states"),
        limit: int = Query(500, ge=1, le=5000),
        offset: int = Query(0, ge=0),
    ) -> list[dict[str, Any]]:
        """Events with date, summary and source; the total before paging is in X-Total-Count."""
        ev = data.events(q, from_, to, domain, actor, dyad_only=not all_dyads)
        response.headers["X-Total-Count"] = str(len(ev))
        return records(ev.iloc[offset : offset + limit])

    @app.get("/api/treaties", tags=["record"])
    def treaties() -> dict[str, Any]:
        """Arms-control treaties and their dated status changes, with sources."""
        return {
            "treaties": records(data.table("treaties")),
            "treaty_events": records(data.table("treaty_events")),
        }

    @app.get("/api/tables/{name}", tags=["record"])
    def table(name: str) -> list[dict[str, Any]]:
        """A record table: treaties, treaty_events, elections, leaders or unga_agreement."""
        if name not in TABLES:
            raise ApiError(404, f"no table {name!r}; tables: {', '.join(TABLES)}")
        return records(data.table(name))

    @app.post("/api/import", tags=["record"], status_code=201)
    async def import_events(
        request: Request,
        name: str = Query("upload.csv", max_length=120, description="file name (sets the format)"),
        format: str | None = Query(None, description="csv, json, gdelt1, gdelt2, icews, ..."),
        dyad: str | None = Query(None, description="keep only rows between two actors: USA,RUS"),
    ) -> dict[str, Any]:
        """Import an event file (the raw body); needs the server's token (Bearer)."""
        _check_token(request, settings)
        pair: tuple[str, str] | None = None
        if dyad:
            parts = [p.strip().upper() for p in dyad.split(",")]
            if len(parts) != 2 or parts[0] == parts[1] or not all(parts):
                raise ApiError(422, f"dyad: {dyad!r} is not two different actors like USA,RUS")
            pair = (parts[0], parts[1])
        body = await request.body()
        if not body:
            raise ApiError(422, "the request body is empty: send the file's contents")
        try:
            return data.import_bytes(body, name, format, pair)
        except ValueError as exc:
            raise ApiError(422, str(exc)) from None

    # -- the fit, as the report shows it ------------------------------------------------
    @app.get("/api/fit", tags=["fit"])
    def fit_results(budget: str = "quick") -> dict[str, Any]:
        """The backtest verdict, the comparison (with the 90 % model confidence set), the
        outlook with its verdict and the claims: the report's results, read from the same
        cache (``available`` false until ``resetlab run`` has made them for ``budget``)."""
        from resetlab.fit.budget import BUDGETS

        if budget not in BUDGETS:
            raise ApiError(422, f"budget: {budget!r} is none of {', '.join(BUDGETS)}")
        out = data.fit_results(budget)
        bad = _non_finite(out)
        if bad:  # JSON carries no NaN: the cached tables should have none left
            raise ApiError(500, f"non-finite values in the fit results: {', '.join(bad[:5])}")
        return out

    # -- scenarios ---------------------------------------------------------------------
    @app.get("/api/strategies", tags=["scenarios"])
    def strategies() -> dict[str, Any]:
        """Strategy keys with their one-line description and default parameters."""
        return _strategies()

    @app.get("/api/scenarios", tags=["scenarios"])
    def scenarios() -> list[dict[str, Any]]:
        """The scenario files offered by this server (name, description, start, horizon)."""
        out = []
        for stem, path in _scenario_files(settings).items():
            try:
                fields = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError):
                continue
            if isinstance(fields, dict):
                out.append(
                    {
                        "name": stem,
                        "description": str(fields.get("description", "")),
                        "start": fields.get("start"),
                        "horizon": fields.get("horizon"),
                        "mode": fields.get("mode"),
                    }
                )
        return out

    @app.get("/api/scenarios/{name}", tags=["scenarios"])
    def scenario(name: str) -> dict[str, Any]:
        """A scenario file's fields as JSON (edit them and POST to /api/scenarios/run)."""
        files = _scenario_files(settings)
        if name not in files:
            raise ApiError(404, f"no scenario {name!r}; scenarios: {', '.join(files) or 'none'}")
        fields = yaml.safe_load(files[name].read_text(encoding="utf-8"))
        if not isinstance(fields, dict):
            raise ApiError(422, f"scenario {name!r} is not a mapping")
        return fields

    def _checked(fields: dict[str, Any]) -> Any:
        perspective = fields.get("perspective")
        if isinstance(perspective, str) and not re.fullmatch(r"[A-Za-z0-9_-]{1,80}", perspective):
            raise ScenarioError(
                "the scenario does not validate",
                [Problem(BODY, None, "perspective", "a perspective name: letters, digits, - or _")],
            )
        bad = _non_finite(fields)
        if bad:
            raise ScenarioError(
                "the scenario does not validate",
                [Problem(BODY, None, f, "must be a finite number") for f in bad],
            )
        sc = scenario_from_fields(fields, settings.perspective_folder())
        if sc.model.horizon > settings.max_horizon:
            raise ScenarioError(
                "the scenario is too long for this server",
                [Problem(BODY, None, "horizon", f"at most {settings.max_horizon} months here")],
            )
        return sc

    @app.post("/api/scenarios/validate", tags=["scenarios"])
    def validate(fields: dict[str, Any] = Body(...)) -> dict[str, Any]:
        """Check a scenario without running it; 422 lists every problem by field."""
        sc = _checked(fields)
        months = sc.months
        return {"ok": True, "name": sc.name, "first": str(months[0]), "last": str(months[-1])}

    @app.post("/api/scenarios/run", tags=["scenarios"], status_code=202)
    def run(
        fields: dict[str, Any] = Body(..., description="the scenario file's fields as JSON"),
        members: int | None = Query(None, ge=1, description="ensemble members"),
        seed: int | None = Query(None, ge=0, le=2**63 - 1, description="random seed"),
    ) -> dict[str, Any]:
        """Queue a scenario run; poll ``GET /api/jobs/{job_id}`` for progress and results."""
        n = settings.default_members if members is None else members
        if n > settings.max_members:
            raise ApiError(422, f"members: at most {settings.max_members} on this server, got {n}")
        sc = _checked(fields)
        job = jobs.submit(sc, n, settings.seed if seed is None else seed)
        return {"job_id": job.id, "status": job.status, "url": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs/{job_id}", tags=["scenarios"])
    def job(job_id: str) -> dict[str, Any]:
        """A run's status and progress (0..1); when done, quantiles per month and P(holds)."""
        view = jobs.get(job_id)
        if view is None:
            raise ApiError(404, f"no job {job_id!r} (unknown, or forgotten after many runs)")
        return view

    return app


#: Deepest nesting of a JSON body's lists and objects that a route looks into.
MAX_JSON_DEPTH = 64


def _non_finite(value: Any) -> list[str]:
    """Dotted fields holding NaN or an infinity (JSON extensions Python accepts).

    Walks the body without recursion; a body nested deeper than :data:`MAX_JSON_DEPTH`
    is refused with 422 (no scenario field is more than a few levels down).
    """
    out: list[str] = []
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        v, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ApiError(422, f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(v, float) and not math.isfinite(v):
            out.append(where or "(body)")
        elif isinstance(v, dict):
            stack.extend((x, f"{where}.{k}".lstrip("."), depth + 1) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend((x, f"{where}.{i}", depth + 1) for i, x in enumerate(v))
    return sorted(out)


def _check_token(request: Request, settings: WebSettings) -> None:
    if settings.token is None:
        raise ApiError(403, "this server is read-only; start it with --token to allow imports")
    auth = request.headers.get("authorization", "")
    given = (
        auth[7:]
        if auth.lower().startswith("bearer ")
        else request.headers.get("x-resetlab-token", "")
    )
    if not given or not hmac.compare_digest(given.encode(), settings.token.encode()):
        raise ApiError(401, "a valid token is needed (header Authorization: Bearer TOKEN)")
