"""Calibrate a perspective's parameters to the monthly index under history replay (emcee).

Why emcee (affine-invariant ensemble MCMC) and not ABC-SMC with pyabc: the model is cheap per
member but costs ~0.1 s of Python per simulated history, whatever the number of members. emcee
evaluates a whole half-ensemble of walkers in one call (``vectorize=True``), so every walker
becomes a block of members of *one* vectorised simulation; pyabc calls the model once per
particle.

The simulation is observed the way the record is (:mod:`resetlab.fit.observe`): each
member's relations path is anchored to the measured index's first year (the observation
offset is not a free parameter), turned into a simulated event flow with the record's event
counts, and smoothed into a simulated index by the vintage index's own Kalman smoother. The
likelihood is Bayesian synthetic likelihood (:mod:`resetlab.fit.likelihood`): each parameter
set runs ``reps`` members, whose simulated indexes give replicate summary vectors, and the
measured index's summaries are scored under their mean and covariance. Under the default
sampler (``budget.sampler == "emcee"``) every call simulates from the same seed, so a call
repeats exactly, but a walker's members draw their numbers by their place in the call's
batch of walkers: the same point gets another estimate beside other walkers. Under
``"emcee-crn"`` replicate ``r`` of every walker gets the same numbers
(:class:`resetlab.model.crn.CommonNumbers`), so the estimate is a fixed function of the
parameters for one seed, the same in every call and every chain. Under ``"emcee-mcwm"``
every call draws fresh simulations and the current points are re-estimated at every step
(:mod:`resetlab.fit.samplers`). ``docs/fit.md`` has the details and the figures.

Convergence is read, not assumed: the fit runs ``budget.chains`` independent emcee ensembles
(tasks of a :class:`resetlab.tasks.Runner`), each started from its own prior draws, and
:func:`diagnose` computes rank-normalised split R-hat and bulk/tail ESS with arviz over every
walker of every ensemble. The spread of the log-likelihood across simulation seeds at the
posterior median (``loglik_noise_sd``) is measured beside them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from resetlab.exceptions import FitError, ModelError
from resetlab.fit.budget import Budget, get_budget
from resetlab.fit.history import REPLAY_START, FitData, Vintage, history_forcing
from resetlab.fit.likelihood import (
    mean_adjusted_loglik,
    summaries,
    summary_names,
    synthetic_loglik,
)
from resetlab.fit.observe import IndexNoise, Observer
from resetlab.fit.perspectives import ParameterSpace
from resetlab.fit.samplers import COMMON_NUMBERS, ensemble, metropolis, move_state, proposal_cov
from resetlab.model.crn import CommonNumbers
from resetlab.model.engine import ModelSpec, ScoreWeights, run_chunk
from resetlab.model.forcing import Forcing
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.spec import PerspectiveModel, Scenario, build_strategy
from resetlab.model.state import INDEX
from resetlab.tasks import Runner, task_seed

_RELATIONS = (INDEX["relations"],)
#: Months at the replay start on which every simulated index is anchored to the measured one.
ANCHOR_MONTHS = 12
#: Months before an origin whose simulated index weights a forecast's members.
ORIGIN_MONTHS = 12
#: The thresholds a posterior must meet before anything is drawn from it.
RHAT_MAX = 1.01
ESS_MIN = 400.0


def spec_for(
    perspective: PerspectiveModel,
    base: Scenario,
    forcing: Forcing,
    theta: np.ndarray,
    names: tuple[str, ...],
) -> ModelSpec:
    """A model with the perspective's mechanisms and one parameter set per member.

    ``theta`` has a row per member and a column per name in ``names`` (``mK.param``,
    ``noise``, ``volatility``, ``observation.w``); every other value is the perspective's or
    the base scenario's.
    """
    theta = np.atleast_2d(np.asarray(theta, dtype=np.float32))
    if theta.shape[1] != len(names):
        raise ModelError(f"theta has {theta.shape[1]} columns for {len(names)} names")
    col = {n: theta[:, j] for j, n in enumerate(names)}
    mechanisms = []
    for key, entry in perspective.mechanisms.items():
        if not entry.enabled:
            continue
        cls = MECHANISMS[key]
        values: dict[str, Any] = dict(entry.params)
        for p in values:
            if f"{key}.{p}" in col:
                values[p] = col[f"{key}.{p}"]
        mechanisms.append(cls(cls.Params(**values)))
    sc = base.model
    obs: dict[str, Any] = sc.observation.model_dump()
    for k in obs:
        if f"observation.{k}" in col:
            obs[k] = col[f"observation.{k}"]
    unknown = [
        n
        for n in names
        if n not in ("noise", "volatility")
        and not n.startswith("observation.")
        and not any(n == f"{k}.{p}" for k, e in perspective.mechanisms.items() for p in e.params)
    ]
    if unknown:
        raise ModelError(f"parameters not in the perspective: {unknown}")
    return ModelSpec(
        mechanisms=tuple(mechanisms),
        strategy_us=build_strategy(sc.strategies.us),
        strategy_ru=build_strategy(sc.strategies.ru),
        observation=ScoreWeights(**obs),
        initial=dict(sc.initial),
        forcing=forcing,
        base_noise=col.get("noise", sc.noise),  # type: ignore[arg-type]
        base_volatility=col.get("volatility", sc.volatility),  # type: ignore[arg-type]
        name=perspective.name,
    )


def simulate_relations(
    perspective: PerspectiveModel,
    base: Scenario,
    forcing: Forcing,
    theta: np.ndarray,
    names: tuple[str, ...],
    seed: int | np.random.SeedSequence,
    common: int | None = None,
) -> np.ndarray:
    """The relations score (months x members) with one parameter row per member.

    ``common``: ``None``, every member its own random numbers; ``reps``, the members are
    blocks of ``reps`` and replicate ``r`` of every block gets the same numbers
    (:func:`resetlab.model.engine.run_chunk`'s ``common``)."""
    spec = spec_for(perspective, base, forcing, theta, names)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    out = run_chunk(spec, len(theta), ss, record=_RELATIONS, common=common)
    return out[:, 0, :]


def streams(seed: int) -> tuple[np.random.SeedSequence, np.random.SeedSequence]:
    """The engine's and the observation step's random streams of one simulation seed."""
    engine, observe = np.random.SeedSequence(seed).spawn(2)
    return engine, observe


@dataclass(frozen=True)
class Target:
    """The measured index of a fit window, and what the observation step needs to mimic it."""

    months: pd.PeriodIndex
    y: np.ndarray  # the measured index (score)
    sd: np.ndarray  # its standard error
    n_events: np.ndarray  # the record's event count per month (0: no events)
    observe: Observer  # the observation step with the record's event counts and the
    # vintage index's sigma2_event and sigma2_level
    observed: np.ndarray  # the measured index's summaries

    @classmethod
    def of(cls, vintage: Vintage, n_hist: int) -> Target:
        """The window from :data:`REPLAY_START` to the month before the vintage's origin."""
        months = pd.period_range(REPLAY_START, periods=n_hist, freq="M")
        keys = [str(m) for m in months]
        s = vintage.index.set_index(vintage.index["month"].astype(str))
        where = f"the vintage index at {vintage.origin}"
        if "events_n" not in s:
            raise FitError(f"{where} has no events_n column (the observation step needs it)")
        y = s["score"].reindex(keys).to_numpy(dtype=float)
        if not np.isfinite(y).all():
            gap = keys[int(np.flatnonzero(~np.isfinite(y))[0])]
            raise FitError(f"{where}: no score in {gap}, inside the fitted window")
        sd = np.nan_to_num(s["sd"].reindex(keys).to_numpy(dtype=float), nan=0.0)
        n = np.nan_to_num(s["events_n"].reindex(keys).to_numpy(dtype=float), nan=0.0)
        noise = IndexNoise.of(vintage.params, where)
        return cls(months, y, sd, n, Observer.of(n, noise), summaries(y, months)[0])


def anchor(sim: np.ndarray, level: float, group: int) -> np.ndarray:
    """``sim`` (months x members) shifted, per block of ``group`` adjacent members, so that
    the block's mean over the first :data:`ANCHOR_MONTHS` months is ``level``."""
    T, M = sim.shape
    if M % group:
        raise FitError(f"{M} members are not a whole number of sets of {group}")
    x = np.asarray(sim, dtype=np.float64).reshape(T, M // group, group)
    start = x[:ANCHOR_MONTHS].mean(axis=(0, 2))
    return (x + (level - start)[None, :, None]).reshape(T, M)


def observe_anchored(relations: np.ndarray, target: Target, rng: Any) -> np.ndarray:
    """The simulated index of ``relations`` (months x members), each member shifted so that
    its own index's mean over the first :data:`ANCHOR_MONTHS` months equals the measured
    index's.

    The relations score's level is set by the observation offset, which no article speaks to:
    instead of a free parameter that soaks up misfit, every simulated index starts where the
    measured one does. The shift is applied to the *observed* index of each member, not to
    the latent score: the measured index's first-year mean carries its own estimation error
    (about 1 in 1992's thin months), and a latent score set to it would carry that error
    into every simulation as a level offset the data do not have. Shifting each member's
    index makes every level summary a comparison of the index with its own first year, the
    same statistic for the record and for the simulations (the smoother's weights sum to one
    in every month, so the shift of the index is a shift of the latent level).
    """
    idx = target.observe(np.asarray(relations, dtype=np.float64), rng)
    return anchor(idx, float(target.y[:ANCHOR_MONTHS].mean()), 1)


def index_loglik(
    relations: np.ndarray,
    target: Target,
    reps: int,
    seed: np.random.SeedSequence,
    mean_adjust: float | None = None,
    common: bool = False,
) -> np.ndarray:
    """Synthetic log-likelihood per parameter set of ``relations`` (months x sets * reps).

    ``mean_adjust``: the Laplace scale of the mean-adjusted SL (Gamma profiled at its
    posterior mode); ``None``: the plain BSL. ``common``: replicate ``r`` of every set gets
    the same observation noise (:class:`resetlab.model.crn.CommonNumbers`); ``False``: each
    member its own.
    """
    return index_loglik_gamma(relations, target, reps, seed, mean_adjust, common)[0]


def index_loglik_gamma(
    relations: np.ndarray,
    target: Target,
    reps: int,
    seed: np.random.SeedSequence,
    mean_adjust: float | None = None,
    common: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`index_loglik` and the fitted Gamma per set (sets x summaries; zeros if plain)."""
    rng = np.random.default_rng(seed)
    if common:  # the observation step draws members x months: the member axis is 0
        rng = CommonNumbers(rng, reps, relations.shape[1] // reps, axis=0)
    idx = observe_anchored(relations, target, rng)
    sims = summaries(idx, target.months)
    if mean_adjust is None:
        ll = synthetic_loglik(sims, target.observed, reps)
        return ll, np.zeros((len(ll), sims.shape[1]))
    return mean_adjusted_loglik(sims, target.observed, reps, mean_adjust)


@dataclass(frozen=True)
class Posterior:
    """Posterior samples of a perspective's fitted parameters, and how they were made."""

    perspective: str
    names: tuple[str, ...]
    samples: np.ndarray  # draws x parameters
    log_prob: np.ndarray  # log posterior of each draw
    origin: str  # the first month the fit did not see
    budget: str
    seed: int
    acceptance: float
    n_months: int  # index months the fit used
    diagnostics: dict[str, Any] | None = None  # see :func:`diagnose`; None: never checked

    @property
    def converged(self) -> bool:
        """Whether the chains met R-hat < 1.01 and bulk and tail ESS >= 400."""
        return bool(self.diagnostics and self.diagnostics.get("converged"))

    def diagnostics_words(self) -> str:
        """One sentence on the diagnostics, computed from their numbers."""
        return diagnostics_words(self.diagnostics)

    def draws(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws (rows), without replacement while the sample lasts."""
        k = len(self.samples)
        idx = rng.choice(k, size=n, replace=n > k)
        return self.samples[idx]

    def summary(self) -> pd.DataFrame:
        """Mean, sd and 5/50/95 % quantiles of each parameter."""
        q = np.quantile(self.samples, [0.05, 0.5, 0.95], axis=0)
        return pd.DataFrame(
            {
                "param": self.names,
                "mean": self.samples.mean(axis=0),
                "sd": self.samples.std(axis=0),
                "q05": q[0],
                "q50": q[1],
                "q95": q[2],
            }
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "perspective": self.perspective,
            "names": list(self.names),
            "samples": self.samples.tolist(),
            "log_prob": self.log_prob.tolist(),
            "origin": self.origin,
            "budget": self.budget,
            "seed": self.seed,
            "acceptance": self.acceptance,
            "n_months": self.n_months,
            "diagnostics": self.diagnostics,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Posterior:
        return cls(
            perspective=d["perspective"],
            names=tuple(d["names"]),
            samples=np.asarray(d["samples"], dtype=float).reshape(-1, len(d["names"])),
            log_prob=np.asarray(d["log_prob"], dtype=float),
            origin=d["origin"],
            budget=d["budget"],
            seed=int(d["seed"]),
            acceptance=float(d["acceptance"]),
            n_months=int(d["n_months"]),
            diagnostics=d.get("diagnostics"),
        )

    def save(self, path: str | Path, extra: dict[str, Any] | None = None) -> None:
        """Write JSON (``.json``, with ``extra``'s keys added) or the samples as a table
        (``.csv``/``.parquet``)."""
        path = Path(path)
        if path.suffix in (".csv", ".parquet"):
            from resetlab.tables import write_table

            frame = pd.DataFrame(self.samples, columns=list(self.names))
            frame.insert(0, "log_prob", self.log_prob)
            write_table(frame, path, path.suffix[1:])
            return
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps({**self.to_dict(), **(extra or {})}), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> Posterior:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def likelihood_name(mean_adjust: float | None) -> str:
    """The synthetic likelihood a budget uses, in words."""
    if mean_adjust is None:
        return "Gaussian BSL"
    return f"mean-adjusted SL, Gamma profiled at its posterior mode (Laplace scale {mean_adjust:g})"


def diagnose(chains: np.ndarray, loglik_noise_sd: float, n_chains: int) -> dict[str, Any]:
    """Convergence diagnostics of ``chains`` (chains x draws x parameters), by arviz.

    Rank-normalised split R-hat (``az.rhat(method="rank")``) and bulk and tail ESS
    (``az.ess``); ``converged`` is R-hat < :data:`RHAT_MAX` and both ESS >= :data:`ESS_MIN`.
    ``n_chains`` is the number of independent ensembles the rows of ``chains`` come from.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import arviz as az

    x = np.asarray(chains, dtype=float)
    if x.ndim != 3 or x.shape[0] < 2 or x.shape[1] < 4:
        raise ModelError(f"diagnostics need >= 2 chains of >= 4 draws, got shape {x.shape}")
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        # an ensemble has more walkers than kept steps at small budgets; arviz warns of that;
        # a walker that never moved has no within-chain variance: its R-hat is inf, as it
        # should be, without a warning
        warnings.simplefilter("ignore", UserWarning)
        ds = az.convert_to_dataset(x)
        rhat = np.asarray(az.rhat(ds, method="rank")["x"].values, dtype=float)
        bulk = np.asarray(az.ess(ds, method="bulk")["x"].values, dtype=float)
        tail = np.asarray(az.ess(ds, method="tail")["x"].values, dtype=float)
    rhat_max = float(np.nanmax(rhat)) if np.isfinite(rhat).any() else float("inf")
    bulk_min = float(np.nanmin(bulk)) if np.isfinite(bulk).any() else 0.0
    tail_min = float(np.nanmin(tail)) if np.isfinite(tail).any() else 0.0
    return {
        "chains": int(n_chains),
        "walkers": int(x.shape[0]),
        "draws_per_walker": int(x.shape[1]),
        "rhat": [float(v) for v in rhat],
        "rhat_max": rhat_max,
        "ess_bulk_min": bulk_min,
        "ess_tail_min": tail_min,
        "loglik_noise_sd": float(loglik_noise_sd),
        "converged": bool(
            n_chains >= 4 and rhat_max < RHAT_MAX and bulk_min >= ESS_MIN and tail_min >= ESS_MIN
        ),
    }


def diagnostics_words(d: dict[str, Any] | None) -> str:
    """What the diagnostics say, in words computed from their numbers."""
    if not d:
        return "no convergence diagnostics were computed for this posterior"
    fails = []
    if d["chains"] < 4:
        fails.append(f"{d['chains']} independent chain(s), fewer than 4")
    if not d["rhat_max"] < RHAT_MAX:
        fails.append(f"R-hat {d['rhat_max']:.3g} is not below {RHAT_MAX}")
    if d["ess_bulk_min"] < ESS_MIN:
        fails.append(f"bulk ESS {d['ess_bulk_min']:.0f} is below {ESS_MIN:.0f}")
    if d["ess_tail_min"] < ESS_MIN:
        fails.append(f"tail ESS {d['ess_tail_min']:.0f} is below {ESS_MIN:.0f}")
    noise = f"; the log-likelihood varies by {d['loglik_noise_sd']:.3g} nats (sd) across seeds"
    if not fails:
        return (
            f"converged: {d['chains']} chains, R-hat {d['rhat_max']:.3g}, bulk ESS "
            f"{d['ess_bulk_min']:.0f}, tail ESS {d['ess_tail_min']:.0f}" + noise
        )
    return "not converged: " + ", ".join(fails) + noise


@dataclass(frozen=True)
class _Chain:
    """One independent emcee ensemble (a picklable task)."""

    perspective: PerspectiveModel
    base: Scenario
    forcing: Forcing
    target: Target
    budget: Budget
    sim_seed: int  # "emcee", "emcee-crn": the same seed at every call and in every chain
    chain_seed: np.random.SeedSequence  # the chain's starts, emcee moves and MCWM simulations


def _log_prob_fn(
    c: _Chain, space: ParameterSpace, fresh: np.random.SeedSequence | None
) -> Callable[[np.ndarray], np.ndarray]:
    """The log posterior of a block of walkers. ``fresh`` (MCWM): each call simulates with
    the next seed spawned from it; ``None``: every call uses ``c.sim_seed``'s streams.
    ``"emcee-crn"``: replicate ``r`` of every walker gets the same random numbers, so a
    point's log-likelihood is the same whatever the other walkers of the call."""
    names = space.names
    reps = c.budget.reps
    common = c.budget.sampler in COMMON_NUMBERS

    def log_prob(theta: np.ndarray) -> np.ndarray:
        lp = space.log_prior(theta)
        ok = np.isfinite(lp)
        out = np.full(len(theta), -np.inf)
        if ok.any():
            members = np.repeat(theta[ok], reps, axis=0)
            if fresh is None:
                engine, observe = streams(c.sim_seed)
            else:
                engine, observe = fresh.spawn(1)[0].spawn(2)
            sim = simulate_relations(
                c.perspective, c.base, c.forcing, members, names, engine, reps if common else None
            )
            ll = index_loglik(sim, c.target, reps, observe, c.budget.mean_adjust, common)
            out[ok] = lp[ok] + ll
        return out

    return log_prob


def _stretch(c: _Chain) -> tuple[Any, ParameterSpace, list[np.random.SeedSequence]]:
    """Run chain ``c``'s emcee ensemble for ``budget.steps`` steps from prior draws; the
    sampler, the parameter space and the chain's seeds (starts, moves, MCWM simulations, and
    two more for :func:`_warm_chain`)."""
    b = c.budget
    space = ParameterSpace.of(c.perspective)
    walkers = max(b.walkers, 2 * space.dim + 2)
    walkers += walkers % 2
    # the first three children are the same whatever the sampler (spawn is sequential)
    seeds = c.chain_seed.spawn(5)
    start_seed, move_seed, sim_seed = seeds[:3]
    p0 = space.sample(np.random.default_rng(start_seed), walkers)
    fresh = sim_seed if b.sampler == "emcee-mcwm" else None
    sampler = ensemble(walkers, space.dim, _log_prob_fn(c, space, fresh), b.sampler, move_seed)
    sampler.run_mcmc(p0, b.steps)
    return sampler, space, seeds


def _run_chain(c: _Chain) -> tuple[np.ndarray, np.ndarray, float]:
    """Chain (steps x walkers x parameters), log posterior (steps x walkers), acceptance."""
    b = c.budget
    sampler, _, _ = _stretch(c)
    return (
        sampler.get_chain(discard=b.burn),
        sampler.get_log_prob(discard=b.burn),
        float(np.mean(sampler.acceptance_fraction)),
    )


@dataclass(frozen=True)
class _Round:
    """The next round of one chain's Metropolis walkers (a picklable task)."""

    chain: _Chain
    start: np.ndarray  # walkers x parameters
    log_prob: np.ndarray  # walkers
    cov: np.ndarray  # the fixed proposal covariance
    random_state: Any  # the proposals' RandomState state, where the last round left it
    steps: int


@dataclass(frozen=True)
class _Rounded:
    chain: np.ndarray  # steps x walkers x parameters
    log_prob: np.ndarray  # steps x walkers
    accepted: np.ndarray  # walkers: accepted moves this round
    last: _Round  # the round that continues from here


def _warm_chain(c: _Chain) -> _Round:
    """Chain ``c``'s stretch warm-up (``budget.steps`` steps, all discarded), and its first
    Metropolis round: ``budget.mh_walkers`` walkers picked at random from the warm-up's last
    state, the proposal covariance from the last half of its draws."""
    b = c.budget
    sampler, space, seeds = _stretch(c)
    pick = np.random.default_rng(seeds[3])
    last = sampler.get_last_sample()
    walkers = len(last.coords)
    if b.mh_walkers > walkers:
        raise FitError(f"{b.mh_walkers} Metropolis walkers but the warm-up has {walkers}")
    idx = pick.choice(walkers, size=b.mh_walkers, replace=False)
    draws = sampler.get_chain(discard=b.steps // 2, flat=True)
    return _Round(
        chain=c, start=np.array(last.coords[idx]), log_prob=np.array(last.log_prob[idx]),
        cov=proposal_cov(draws), random_state=move_state(seeds[4]), steps=b.mh_round,
    )  # fmt: skip


def _metropolis_round(r: _Round) -> _Rounded:
    """``r.steps`` Metropolis steps of one chain's walkers from where ``r`` starts."""
    from emcee.state import State

    space = ParameterSpace.of(r.chain.perspective)
    lp = _log_prob_fn(r.chain, space, None)
    sampler = metropolis(len(r.start), space.dim, lp, r.cov, r.random_state)
    sampler.run_mcmc(State(r.start, log_prob=r.log_prob), r.steps, skip_initial_state_check=True)
    last = sampler.get_last_sample()
    nxt = replace(
        r, start=np.array(last.coords), log_prob=np.array(last.log_prob),
        random_state=sampler.random_state,
    )  # fmt: skip
    return _Rounded(
        sampler.get_chain(), sampler.get_log_prob(),
        np.rint(sampler.acceptance_fraction * r.steps).astype(np.int64), nxt,
    )  # fmt: skip


def _sample_metropolis(
    tasks: list[_Chain],
    run: Runner,
    name: str,
    progress: Callable[[int], None] | None,
) -> tuple[np.ndarray, np.ndarray, float, dict[str, Any]]:
    """The ``"crn-metropolis"`` sampler: every chain's warm-up, then Metropolis rounds of
    ``mh_round`` steps until :func:`diagnose` over the last half of the Metropolis steps of
    every walker of every chain holds, or ``mh_max`` steps have run. Kept chain (steps x
    walkers x parameters), its log posterior, acceptance and what was run."""
    b = tasks[0].budget
    n = len(tasks)
    rounds = run.map(
        _warm_chain, tasks, identities=[("warm-up", name, k) for k in range(n)],
        label=f"warm-up of {name}",
        progress=(lambda d, t: progress(d * b.steps // t)) if progress is not None else None,
    )  # fmt: skip
    chains: list[list[np.ndarray]] = [[] for _ in range(n)]
    lps: list[list[np.ndarray]] = [[] for _ in range(n)]
    accepted: list[list[np.ndarray]] = [[] for _ in range(n)]
    done, ok = 0, False
    while not ok and done < b.mh_max:
        out = run.map(
            _metropolis_round, rounds,
            identities=[("metropolis", name, k, done) for k in range(n)],
            label=f"Metropolis steps {done + 1}-{done + b.mh_round} of {name}",
        )  # fmt: skip
        for k, o in enumerate(out):
            chains[k].append(o.chain)
            lps[k].append(o.log_prob)
            accepted[k].append(o.accepted)
        done += b.mh_round
        if progress is not None:
            progress(b.steps + done)
        rounds = [o.last for o in out]
        chain = np.concatenate([np.concatenate(c, axis=0) for c in chains], axis=1)
        kept = chain[done // 2 :]
        ok = bool(diagnose(np.swapaxes(kept, 0, 1), np.nan, n)["converged"])
    lp = np.concatenate([np.concatenate(c, axis=0) for c in lps], axis=1)[done // 2 :]
    # acceptance over all Metropolis steps (a round's count is not split by step)
    acceptance = float(np.sum([np.sum(a) for a in accepted]) / (done * n * b.mh_walkers))
    extra = {
        "steps": b.steps + done,
        "burn": b.steps + done // 2,
        "warmup_steps": b.steps,
        "metropolis_steps": done,
        "metropolis_walkers": b.mh_walkers,
        "stopped": "converged" if ok else "cap",
    }
    return kept, lp, acceptance, extra


def loglik_noise(
    perspective: PerspectiveModel,
    base: Scenario,
    forcing: Forcing,
    target: Target,
    theta: np.ndarray,
    budget: Budget,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The synthetic log-likelihood at one parameter set under ``budget.noise_seeds`` seeds,
    and the fitted Gamma under each (seeds x summaries; zeros for the plain BSL)."""
    names = ParameterSpace.of(perspective).names
    seqs = np.random.SeedSequence(seed).spawn(budget.noise_seeds)
    members = np.repeat(np.atleast_2d(theta), budget.reps, axis=0)
    out, gammas = [], []
    for ss in seqs:
        engine, observe = ss.spawn(2)
        sim = simulate_relations(perspective, base, forcing, members, names, engine)
        ll, gamma = index_loglik_gamma(sim, target, budget.reps, observe, budget.mean_adjust)
        out.append(float(ll[0]))
        gammas.append(gamma[0])
    return np.asarray(out), np.asarray(gammas)


def fit(
    perspective: PerspectiveModel,
    data: FitData | Vintage,
    base: Scenario,
    *,
    budget: str | Budget = "quick",
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    chains: int | None = None,
    runner: Runner | None = None,
) -> Posterior:
    """Posterior of the perspective's priors given the index before the vintage's origin.

    ``chains`` independent ensembles (default ``budget.chains``) run as tasks of ``runner``
    (default: in this process); with two or more the posterior carries :func:`diagnose`'s
    block. ``progress(k)`` is called as chains or rounds finish, ``k`` in steps of
    ``budget.planned_steps`` (under ``"crn-metropolis"`` the run may stop before them).
    """
    b = get_budget(budget)
    n_chains = b.chains if chains is None else chains
    if n_chains < 1:
        raise FitError(f"a fit needs at least one chain, got {n_chains}")
    vintage = data.vintage() if isinstance(data, FitData) else data
    space = ParameterSpace.of(perspective)
    forcing, n_hist = history_forcing(base, vintage, 1)
    forcing = _truncate(forcing, n_hist)
    target = Target.of(vintage, n_hist)
    tasks = [
        _Chain(perspective, base, forcing, target, b, seed, task_seed(seed, ("chain", k)))
        for k in range(n_chains)
    ]

    def tick(done: int, total: int) -> None:
        if progress is not None:
            progress(done * b.steps // total)

    run = Runner() if runner is None else runner
    if b.sampler == "crn-metropolis":
        if n_chains < 2:
            raise FitError("the crn-metropolis sampler reads its chains' agreement: it needs 2+")
        chain, lp, acceptance, extra = _sample_metropolis(tasks, run, perspective.name, progress)
    else:
        results = run.map(
            _run_chain, tasks, identities=[("chain", perspective.name, k) for k in range(n_chains)],
            label=f"chains of {perspective.name}", progress=tick,
        )  # fmt: skip
        chain = np.concatenate([r[0] for r in results], axis=1)  # steps x walkers x dim
        lp = np.concatenate([r[1] for r in results], axis=1)
        acceptance = float(np.mean([r[2] for r in results]))
        extra = {"steps": b.steps, "burn": b.burn}
    flat, flat_lp = chain.reshape(-1, space.dim), lp.reshape(-1)
    keep = np.isfinite(flat_lp)
    diagnostics = None
    if n_chains >= 2 and chain.shape[0] >= 4:
        median = np.median(flat[keep], axis=0)
        noise, gammas = loglik_noise(perspective, base, forcing, target, median, b, seed)
        diagnostics = diagnose(np.swapaxes(chain, 0, 1), float(np.std(noise, ddof=1)), n_chains)
        diagnostics["likelihood"] = likelihood_name(b.mean_adjust)
        diagnostics["sampler"] = b.sampler
        diagnostics.update(extra)
        if b.mean_adjust is not None:
            # which summaries the model cannot match: Gamma at the posterior median, in sd
            names = summary_names(target.months)
            diagnostics["gamma"] = dict(zip(names, np.mean(gammas, axis=0).tolist(), strict=True))
    return Posterior(
        perspective=perspective.name,
        names=space.names,
        samples=flat[keep],
        log_prob=flat_lp[keep],
        origin=str(vintage.origin),
        budget=b.name,
        seed=seed,
        acceptance=acceptance,
        n_months=len(target.months),
        diagnostics=diagnostics,
    )


def _truncate(f: Forcing, n: int) -> Forcing:
    return Forcing(
        f.months[:n],
        {k: np.asarray(v)[:n] for k, v in f.series.items()},
        {k: np.asarray(v)[:n] for k, v in f.shocks.items()},
        {},
        {},
    )


def forecast(
    perspective: PerspectiveModel,
    posterior: Posterior,
    vintage: Vintage,
    base: Scenario,
    horizon: int,
    *,
    draws: int,
    draw_reps: int,
    seed: int,
    forcing: Forcing | None = None,
) -> np.ndarray:
    """Index forecast for the ``horizon`` months from the vintage's origin (months x members).

    Posterior draws (``draw_reps`` members each) replay the history before the origin and
    run on with sampled shocks. The ensemble starts from the last observed month: each
    member's history is run through the observation step, and the member is shifted so that
    its own simulated index in the month before the origin equals the measured index there.
    A member then sits where the data put the level, off by its own index-estimation error
    (the latent level minus its index, about the index's standard error), and keeps its
    simulated dynamics. The shift is the member's observation offset, which only sets the
    level of the relations score, so it changes no mechanism's path.
    """
    rng = np.random.default_rng(seed)
    if forcing is None:
        forcing, n_hist = history_forcing(base, vintage, horizon)
    else:
        n_hist = forcing.horizon - horizon
    theta = np.repeat(posterior.draws(rng, draws), draw_reps, axis=0)
    engine, observe = streams(seed)
    sim = np.asarray(
        simulate_relations(perspective, base, forcing, theta, posterior.names, engine),
        dtype=np.float64,
    )
    target = Target.of(vintage, n_hist)
    idx = target.observe(sim[:n_hist], np.random.default_rng(observe))
    shift = target.y[n_hist - 1] - idx[n_hist - 1]
    return sim[n_hist:] + shift[None, :]


def replay_index(
    perspective: PerspectiveModel,
    posterior: Posterior,
    data: FitData,
    base: Scenario,
    *,
    draws: int,
    draw_reps: int,
    seed: int,
) -> tuple[Target, pd.PeriodIndex, np.ndarray]:
    """The posterior's simulated index over the fitted window: the target (the measured
    index), its months, and months x (``draws`` x ``draw_reps``) simulated series (each
    observed as the record is, then anchored at the replay start as in the fit)."""
    vintage = data.vintage()
    forcing, n_hist = history_forcing(base, vintage, 1)
    forcing = _truncate(forcing, n_hist)
    rng = np.random.default_rng(seed)
    theta = np.repeat(posterior.draws(rng, draws), draw_reps, axis=0)
    engine, observe = streams(seed)
    sim = simulate_relations(perspective, base, forcing, theta, posterior.names, engine)
    target = Target.of(vintage, n_hist)
    return target, forcing.months, observe_anchored(sim, target, np.random.default_rng(observe))


def replay_band(
    perspective: PerspectiveModel,
    posterior: Posterior,
    data: FitData,
    base: Scenario,
    *,
    draws: int,
    draw_reps: int,
    seed: int,
) -> pd.DataFrame:
    """The posterior replay against the index: month, index, q05..q95.

    The quantiles are of the *simulated index* (:func:`replay_index`), the object the fit
    compares with the index.
    """
    target, months, idx = replay_index(
        perspective, posterior, data, base, draws=draws, draw_reps=draw_reps, seed=seed
    )
    q = np.quantile(idx, [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
    return pd.DataFrame(
        {
            "month": [str(m) for m in months],
            "index": target.y,
            "q05": q[0],
            "q25": q[1],
            "q50": q[2],
            "q75": q[3],
            "q95": q[4],
        }
    )


def with_horizon(base: Scenario, months: int) -> Scenario:
    """``base`` with its horizon changed (internal helper for building forcings)."""
    return replace(base, model=base.model.model_copy(update={"horizon": months}))


@dataclass(frozen=True)
class _Replication:
    """One recovery replication: data simulated at ``truth``, then fitted (a picklable task)."""

    perspective: PerspectiveModel
    vintage: Vintage
    base: Scenario
    budget: Budget
    seed: np.random.SeedSequence


def _recover_one(r: _Replication) -> dict[str, Any]:
    space = ParameterSpace.of(r.perspective)
    truth_seed, data_seed, fit_seed = r.seed.spawn(3)
    truth = space.sample(np.random.default_rng(truth_seed), 1)
    forcing, n_hist = history_forcing(r.base, r.vintage, 1)
    forcing = _truncate(forcing, n_hist)
    engine, observe = data_seed.spawn(2)
    x = simulate_relations(r.perspective, r.base, forcing, truth, space.names, engine)
    target = Target.of(r.vintage, n_hist)
    # the synthetic record: the true path observed as the record is (its event counts)
    y = target.observe(x, np.random.default_rng(observe))[:, 0]
    months = [str(m) for m in target.months]
    index = pd.DataFrame(
        {"month": months, "score": y, "sd": target.observe.sd, "events_n": target.n_events}
    )
    synthetic = replace(r.vintage, index=index)
    post = fit(
        r.perspective, synthetic, r.base, budget=r.budget,
        seed=int(fit_seed.generate_state(1)[0]),
    )  # fmt: skip
    q = np.quantile(post.samples, [0.05, 0.95], axis=0)
    return {
        "truth": truth[0].tolist(),
        "mean": post.samples.mean(axis=0).tolist(),
        "inside90": ((q[0] <= truth[0]) & (truth[0] <= q[1])).tolist(),
        "rank": sbc_ranks(truth[0], post.samples, SBC_DRAWS).tolist(),
        "converged": post.converged,
    }


#: Posterior draws behind each simulation-based-calibration rank (the rank runs 0..SBC_DRAWS).
SBC_DRAWS = 19


def sbc_ranks(
    truth: npt.NDArray[np.float64], samples: npt.NDArray[np.float64], draws: int
) -> npt.NDArray[np.int64]:
    """Rank of each true parameter among ``draws`` posterior draws taken evenly through
    ``samples`` (rows: draws in chain order, columns: parameters), as in simulation-based
    calibration (Talts et al. 2018, arXiv:1804.06788): over replications drawn from the prior,
    a calibrated posterior gives ranks uniform on 0..``draws``. Even spacing thins the chains
    (autocorrelated draws pile ranks at the ends). No maintained Python library computes
    SBC ranks from an emcee sample; the statistic is one comparison per draw."""
    s = np.asarray(samples, dtype=float)
    t = np.asarray(truth, dtype=float).reshape(-1)
    if s.ndim != 2 or s.shape[1] != t.size:
        raise FitError(f"SBC ranks need samples of shape (draws, {t.size}), got {s.shape}")
    if draws < 1 or s.shape[0] < draws:
        raise FitError(f"SBC ranks need at least {draws} posterior draws, got {s.shape[0]}")
    pick = np.linspace(0, s.shape[0] - 1, draws).round().astype(int)
    return (s[pick] < t).sum(axis=0).astype(np.int64)


def rank_uniformity(ranks: npt.NDArray[np.int64], draws: int) -> dict[str, Any]:
    """Histogram of SBC ranks (0..``draws``) in bins of equal width and a chi-square test of
    uniformity (``scipy.stats.chisquare``). Bins: ``draws + 1`` ranks grouped so that the
    expected count per bin is at least 5 where the replications allow (at least 2 bins)."""
    from scipy.stats import chisquare

    r = np.asarray(ranks, dtype=int).reshape(-1)
    if r.size == 0 or r.min() < 0 or r.max() > draws:
        raise FitError(f"SBC ranks must lie in 0..{draws}")
    n_ranks = draws + 1
    divisors = [b for b in range(n_ranks, 1, -1) if n_ranks % b == 0]
    bins = next((b for b in divisors if r.size / b >= 5), divisors[-1] if divisors else 1)
    counts = np.bincount(r * bins // n_ranks, minlength=bins)
    p = float(chisquare(counts).pvalue) if bins > 1 else float("nan")
    return {"bins": int(bins), "counts": counts.tolist(), "chi2_p": p}


def recovery(
    perspective: PerspectiveModel,
    data: FitData | Vintage,
    base: Scenario,
    k: int,
    *,
    budget: str | Budget = "quick",
    seed: int = 0,
    runner: Runner | None = None,
) -> dict[str, Any]:
    """Fit ``k`` data sets simulated from prior draws; coverage of the 90 % interval and bias.

    Each replication draws its true parameters from the prior, simulates one history under
    the record's forcing (the index's months before the origin), observes it as the record
    is (:func:`resetlab.fit.observe.simulate_index`, the record's event counts), and fits
    that synthetic index with the same budget as a real fit. Replications are independent tasks of ``runner``.
    """
    if k < 1:
        raise FitError(f"--recovery needs at least 1 replication, got {k}")
    b = get_budget(budget)
    vintage = data.vintage() if isinstance(data, FitData) else data
    names = ParameterSpace.of(perspective).names
    reps = [
        _Replication(perspective, vintage, base, b, task_seed(seed, ("recovery", i)))
        for i in range(k)
    ]
    run = Runner() if runner is None else runner
    rows = run.map(
        _recover_one, reps, identities=[("recovery", perspective.name, i) for i in range(k)],
        label=f"recovery of {perspective.name}",
    )  # fmt: skip
    truth = np.array([r["truth"] for r in rows]).reshape(k, len(names))
    mean = np.array([r["mean"] for r in rows]).reshape(k, len(names))
    inside = np.array([r["inside90"] for r in rows], dtype=bool).reshape(k, len(names))
    ranks = np.array([r["rank"] for r in rows], dtype=int).reshape(k, len(names))
    return {
        "perspective": perspective.name,
        "budget": b.name,
        "seed": seed,
        "replications": k,
        "converged": int(sum(bool(r["converged"]) for r in rows)),
        "recovery": {
            n: {
                "coverage90": float(inside[:, j].mean()),
                # binomial Monte Carlo error of the coverage over k replications
                "coverage90_se": float(
                    np.sqrt(inside[:, j].mean() * (1 - inside[:, j].mean()) / k)
                ),
                "bias": float((mean[:, j] - truth[:, j]).mean()),
                "sbc": rank_uniformity(ranks[:, j], SBC_DRAWS),
            }
            for j, n in enumerate(names)
        },
        "runs": rows,
    }
