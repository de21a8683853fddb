"""The level anchor: data simulated from the model look, summary by summary, like the
model's own replicates at the same parameters (the construction is the same for both)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from fitkit import PERSPECTIVES, base, record


def _level_z2(construct: str) -> float:
    """Mean squared standardised residual of the level summaries (era means, last year) of
    six synthetic indexes simulated at the null's noise 0.3, each against 64 replicates at
    the same value, built as ``construct`` says: ``"fit"`` (the fit's own
    :func:`observe_anchored`) or ``"latent"`` (the latent score anchored to the synthetic
    index's first year, then observed)."""
    from dataclasses import replace

    from resetlab.fit.calibrate import (
        ANCHOR_MONTHS,
        Target,
        _truncate,
        anchor,
        observe_anchored,
        simulate_relations,
    )
    from resetlab.fit.history import history_forcing
    from resetlab.fit.likelihood import summaries, summary_names
    from resetlab.fit.perspectives import ParameterSpace, load_perspectives

    p = load_perspectives(PERSPECTIVES, ("null",))["null"]
    names = ParameterSpace.of(p).names
    v = record().vintage()
    forcing, n_hist = history_forcing(base(), v, 1)
    forcing = _truncate(forcing, n_hist)
    target = Target.of(v, n_hist)
    level = [i for i, n in enumerate(summary_names(target.months)) if n.startswith("mean")]
    reps, z2 = 64, []
    for ss in np.random.SeedSequence(2024).spawn(6):
        data_engine, data_obs, sim_engine, sim_obs = ss.spawn(4)
        x = simulate_relations(p, base(), forcing, np.array([[0.3]]), names, data_engine)
        y = target.observe(x, np.random.default_rng(data_obs))[:, 0]
        index = pd.DataFrame(
            {"month": [str(m) for m in target.months], "score": y, "sd": target.observe.sd,
             "events_n": target.n_events}
        )  # fmt: skip
        synthetic = Target.of(replace(v, index=index), n_hist)
        sim = simulate_relations(p, base(), forcing, np.full((reps, 1), 0.3), names, sim_engine)
        rng = np.random.default_rng(sim_obs)
        if construct == "fit":
            idx = observe_anchored(sim, synthetic, rng)
        else:
            idx = synthetic.observe(anchor(sim, float(y[:ANCHOR_MONTHS].mean()), reps), rng)
        s = summaries(idx, target.months)[:, level]
        z = (synthetic.observed[level] - s.mean(axis=0)) / s.std(axis=0, ddof=1)
        z2.append(float(np.mean(z**2)))
    return float(np.mean(z2))


def test_data_from_the_model_sit_inside_its_replicates_level_summaries() -> None:
    """Under the fit's anchor a synthetic index's era means are standardised residuals of
    about unit size against replicates at its true parameters (mean square < 2.5 over six
    data sets; 1 expected). Anchoring the latent score to the index's first-year mean, the
    same check fails: the first-year estimation error of the data becomes a level offset of
    every replicate, and the wrong parameters (those with the widest spread) fit best."""
    fit = _level_z2("fit")
    latent = _level_z2("latent")
    assert fit < 2.5, f"mean squared z of level summaries under the fit's anchor: {fit:.2f}"
    assert latent > 2 * fit, (fit, latent)
