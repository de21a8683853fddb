"""A two-regime Markov-switching baseline (statsmodels ``MarkovRegression``).

The vintage index is modelled as a switching mean with a switching variance, two regimes,
a first-order Markov chain between them. The forecast h months on is the mixture of the two
regimes' normals, weighted by the filtered regime probabilities at the origin carried h
steps through the fitted transition matrix. The fit is deterministic (statsmodels' EM
start, then BFGS; no random search); one that does not converge is fitted once more from a
longer EM run, and if that fails too it is an error naming the origin, not a silent forecast.
"""

from __future__ import annotations

import warnings

import numpy as np
from statsmodels.tsa.regime_switching.markov_regression import MarkovRegression

from resetlab.exceptions import FitError
from resetlab.fit.baselines.base import (
    ENSEMBLE,
    Baseline,
    history,
    normal_mixture_quantiles,
    register,
)
from resetlab.fit.history import Vintage


def _converged(res: object) -> bool:
    ok = bool(getattr(res, "mle_retvals", {}).get("converged", False))
    return ok and bool(np.all(np.isfinite(np.asarray(getattr(res, "params", [np.nan])))))


@register
class MarkovSwitching(Baseline):
    name = "markov"
    description = "2-regime Markov-switching mean and variance (statsmodels), regime mixture"

    def forecast(self, vintage: Vintage, horizon: int, n: int = ENSEMBLE) -> np.ndarray:
        y, _ = history(vintage, horizon)
        model = MarkovRegression(y, k_regimes=2, trend="c", switching_variance=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence is checked below, not warned about
            res = model.fit(disp=False, em_iter=20, maxiter=200)
            if not _converged(res):  # once more, from a longer EM run
                res = model.fit(disp=False, em_iter=200, maxiter=2000)
        if not _converged(res):
            raise FitError(
                f"vintage {vintage.origin}: the Markov-switching baseline did not converge "
                f"({res.mle_retvals.get('warnflag', '?')}); drop 'markov' from the baselines "
                "or shorten the horizon"
            )
        names = list(model.param_names)
        mu = np.array([res.params[names.index(f"const[{k}]")] for k in range(2)])
        s2 = np.array([res.params[names.index(f"sigma2[{k}]")] for k in range(2)])
        trans = np.asarray(res.regime_transition)[:, :, -1]  # [i, j] = P(S_t = i | S_t-1 = j)
        p = np.asarray(res.filtered_marginal_probabilities)[-1]
        out = np.empty((horizon, n))
        for h in range(horizon):
            p = trans @ p
            out[h] = normal_mixture_quantiles(p, mu, np.sqrt(s2), n)
        return out
