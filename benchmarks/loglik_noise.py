"""Benchmark: seed noise of the synthetic log-likelihood, plain BSL against mean-adjusted SL.

    python benchmarks/loglik_noise.py --posterior null=post-null.json \\
        --posterior deyermond-2024=post-dey.json [--reps 40 80] [--seeds 6] [--write docs/fit.md]

For each perspective, at the median of each posterior given for it (a ``resetlab fit`` JSON;
``--posterior`` may name several per perspective; without
one, a quick fit with seed 0 is run first, with the likelihood ``--fit-likelihood`` names,
plain by default as the earlier figures were; ``--save DIR`` keeps it), the log-likelihood of the record's index to
2025-10 is computed under ``--seeds`` simulation seeds spawned from ``SeedSequence(--seed)``
(each spawns the engine's and the observation step's streams, as ``calibrate.loglik_noise``
does). Both likelihoods score the *same* simulated members under each seed, so their noise is
compared on common random numbers. Reported per perspective and member count: the sd over
seeds (``ddof=1``) and the mean of each likelihood, and for the mean-adjusted one the mean
fitted Gamma of every summary (in replicate sd) and the summaries it shifts under every seed
(Gamma not 0: the model cannot match them at that parameter set). The last line
is JSON with every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _doc import write_section  # noqa: E402

from resetlab.fit.budget import get_budget  # noqa: E402
from resetlab.fit.calibrate import (  # noqa: E402
    Posterior,
    Target,
    _truncate,
    fit,
    index_loglik_gamma,
    simulate_relations,
)
from resetlab.fit.history import FitData, history_forcing  # noqa: E402
from resetlab.fit.likelihood import LAPLACE_SCALE, summary_names  # noqa: E402
from resetlab.fit.perspectives import ParameterSpace, load_perspectives  # noqa: E402
from resetlab.model.spec import load_scenario  # noqa: E402
from resetlab.record.store import Store  # noqa: E402

REPO = HERE.parent


def measure(
    persp, base, data, theta: np.ndarray, reps: int, n_seeds: int, seed: int, scale: float
) -> dict:
    vintage = data.vintage()
    forcing, n_hist = history_forcing(base, vintage, 1)
    forcing = _truncate(forcing, n_hist)
    target = Target.of(vintage, n_hist)
    names = ParameterSpace.of(persp).names
    members = np.repeat(np.atleast_2d(theta), reps, axis=0)
    plain, robust, gammas = [], [], []
    for ss in np.random.SeedSequence(seed).spawn(n_seeds):
        engine, observe = ss.spawn(2)
        sim = simulate_relations(persp, base, forcing, members, names, engine)
        plain.append(float(index_loglik_gamma(sim, target, reps, observe, None)[0][0]))
        ll, g = index_loglik_gamma(sim, target, reps, observe, scale)
        robust.append(float(ll[0]))
        gammas.append(g[0])
    snames = summary_names(target.months)
    gamma = dict(zip(snames, np.mean(gammas, axis=0).tolist(), strict=True))
    always = np.all(np.asarray(gammas) != 0, axis=0)
    return {
        "reps": reps,
        "plain_sd": float(np.std(plain, ddof=1)),
        "plain_mean": float(np.mean(plain)),
        "robust_sd": float(np.std(robust, ddof=1)),
        "robust_mean": float(np.mean(robust)),
        "plain": plain,
        "robust": robust,
        "gamma": gamma,
        "shifted": [n for n, a in zip(snames, always, strict=True) if a],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posterior", action="append", default=[], metavar="NAME=FILE")
    ap.add_argument("--perspectives", nargs="+", default=["null", "deyermond-2024"])
    ap.add_argument("--reps", type=int, nargs="+", default=[40, 80])
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", type=float, default=LAPLACE_SCALE)
    ap.add_argument("--fit-likelihood", choices=["plain", "mean-adjusted"], default="plain")
    ap.add_argument("--save", type=Path, help="folder to write the quick fits' posteriors to")
    ap.add_argument("--write", type=Path, help="replace the loglik-noise section of this file")
    args = ap.parse_args()
    posteriors: dict[str, list[str]] = {}
    for item in args.posterior:
        name, _, path = item.partition("=")
        posteriors.setdefault(name, []).append(path)
    base = load_scenario(REPO / "scenarios" / "replay-1992-2025.yaml")
    with Store.open(":memory:", build=True) as s:
        data = FitData.from_store(s)
    persps = load_perspectives(REPO / "perspectives", tuple(args.perspectives))
    rows = []
    todo: list[tuple[str, Posterior, str]] = []
    for name in args.perspectives:
        persp = persps[name]
        for path in posteriors.get(name, []):
            post = Posterior.load(path)
            like = str((post.diagnostics or {}).get("likelihood", "Gaussian BSL"))
            short = "plain" if like == "Gaussian BSL" else "mean-adjusted"
            todo.append((name, post, f"{post.budget} fit ({short} SL), seed {post.seed}"))
        if name not in posteriors:
            quick = get_budget("quick")
            if args.fit_likelihood == "plain":
                quick = replace(quick, mean_adjust=None)
            t0 = time.perf_counter()
            post = fit(persp, data, base, budget=quick, seed=0)
            made = f"quick fit ({args.fit_likelihood} SL), seed 0"
            print(f"{name}: {made}, {time.perf_counter() - t0:.1f} s", flush=True)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                post.save(args.save / f"{name}-{args.fit_likelihood}.json")
            todo.append((name, post, made))
    for name, post, made in todo:
        theta = np.median(post.samples, axis=0)
        for reps in args.reps:
            r = measure(persps[name], base, data, theta, reps, args.seeds, args.seed, args.scale)
            r.update(perspective=name, theta=dict(zip(post.names, theta.tolist(), strict=True)))
            r["posterior"] = made
            rows.append(r)
            print(
                f"{name} reps {reps}: plain sd {r['plain_sd']:.4g} (mean {r['plain_mean']:.4g}), "
                f"mean-adjusted sd {r['robust_sd']:.4g} (mean {r['robust_mean']:.4g}); "
                f"shifted: {', '.join(r['shifted']) or 'none'}",
                flush=True,
            )
    if args.write:
        lines = [
            f"Seed noise of the log-likelihood (sd over {args.seeds} seeds spawned from "
            f"`SeedSequence({args.seed})`, common random numbers for both likelihoods; "
            f"`python benchmarks/loglik_noise.py`, Laplace scale {args.scale:g}):",
            "",
            "| perspective | members per set | plain BSL sd (mean) | mean-adjusted SL sd (mean) "
            "| posterior median of |",
            "|---|---|---|---|---|",
        ]
        for r in rows:
            theta = ", ".join(f"{k} {v:.4g}" for k, v in r["theta"].items())
            lines.append(
                f"| {r['perspective']} | {r['reps']} | {r['plain_sd']:.4g} ({r['plain_mean']:.4g}) "
                f"| {r['robust_sd']:.4g} ({r['robust_mean']:.4g}) | {r['posterior']}: {theta} |"
            )
        lines += [
            "",
            "Fitted Gamma (mean over the seeds, in replicate sd; 0: never shifted; * shifted "
            "under every seed):",
            "",
        ]
        names = list(rows[0]["gamma"])
        lines.append("| perspective | members | " + " | ".join(names) + " |")
        lines.append("|---|---|" + "---|" * len(names))
        for r in rows:
            cells = " | ".join(
                f"{r['gamma'][n]:.3g}" + ("*" if n in r["shifted"] else "") for n in names
            )
            lines.append(f"| {r['perspective']} | {r['reps']} | {cells} |")
        write_section(args.write, "loglik-noise", lines)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
