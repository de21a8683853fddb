"""The Python entry point: ``simulate(scenario, members=..., seed=...)``."""

from __future__ import annotations

from pathlib import Path

from resetlab.exceptions import ModelError
from resetlab.model.engine import DEFAULT_CHUNK_SIZE, ModelSpec, run_ensemble
from resetlab.model.output import SimulationResult
from resetlab.model.spec import Scenario, build_spec, load_scenario
from resetlab.model.state import VARIABLES


def simulate(
    scenario: str | Path | Scenario | ModelSpec,
    members: int = 1000,
    seed: int = 0,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    variables: tuple[str, ...] | None = None,
    progress: bool = False,
    engine: str | None = None,
    rng: str = "numpy",
) -> SimulationResult:
    """Run an ensemble of ``members`` futures of a scenario (file, checked scenario or spec).

    Same ``seed``, ``members`` and ``chunk_size`` give the same numbers. ``variables`` limits
    what is kept (all state variables by default); ``progress`` shows a rich progress bar;
    ``engine`` is ``"auto"`` (default), ``"numpy"`` or ``"fused"``; ``rng`` the random source,
    ``"numpy"`` (default) or ``"kernel"`` (fused engine only; :func:`resetlab.model.engine.run_chunk`).
    """
    if isinstance(scenario, str | Path):
        scenario = load_scenario(scenario)
    spec = build_spec(scenario) if isinstance(scenario, Scenario) else scenario
    if not isinstance(spec, ModelSpec):
        raise ModelError(f"cannot simulate a {type(scenario).__name__}")
    names = VARIABLES if variables is None else tuple(variables)
    unknown = [v for v in names if v not in VARIABLES]
    if unknown:
        raise ModelError(f"unknown variables: {', '.join(unknown)}")
    paths = run_ensemble(
        spec,
        members,
        seed,
        chunk_size=chunk_size,
        record=names,
        progress=progress,
        engine=engine,
        rng=rng,
    )
    return SimulationResult(
        name=spec.name,
        months=spec.months,
        variables=names,
        paths=paths,
        seed=seed,
        members=members,
    )
