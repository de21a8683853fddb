"""How much computing a fit, backtest, outlook or lever analysis gets: ``quick`` or ``full``.

``quick`` keeps ``make run`` (everything, on 2 cores) under 10 minutes: its backtest origins
are 12 months apart; ``full`` makes the figures in ``docs/fit.md`` with monthly origins. Both
refit a perspective every 4 years of origins. Every output says which budget made it.
"""

from __future__ import annotations

from dataclasses import dataclass

from resetlab.exceptions import ModelError
from resetlab.fit.samplers import check_sampler


@dataclass(frozen=True)
class Budget:
    """Sizes of every sampling step (see ``docs/fit.md`` for what each one does)."""

    name: str
    walkers: int  # emcee walkers
    steps: int  # emcee steps per walker
    burn: int  # steps discarded as burn-in
    reps: int  # members per parameter set in the synthetic likelihood (> summaries + 1)
    draws: int  # posterior draws behind a forecast
    draw_reps: int  # members per posterior draw in a forecast
    refit_every: int  # refit the posterior at every n-th backtest origin
    seeds: tuple[int, ...]  # repeats of the whole backtest (seed noise)
    n_boot: int  # bootstrap resamples for skill intervals and rank certainty
    claim_resamples: int  # permutation / bootstrap resamples of each claim test
    morris_trajectories: int
    sobol_n: int  # Saltelli base sample size (a power of 2; the check compares N/2 and N)
    lever_members: int  # forecast members behind P(hold 24) at each lever setting
    origin_step: int = 1  # months between backtest origins (1: every month)
    chains: int = 4  # independent emcee ensembles of a reported fit (backtest refits use 1)
    noise_seeds: int = 5  # simulation seeds behind the log-likelihood noise estimate
    lever_batch: int = 64  # lever settings per task (one forecast each, run one after another)
    # Laplace scale (lambda) of the mean-adjusted synthetic likelihood, Gamma profiled at its
    # posterior mode (fit/likelihood.py); None: the plain Gaussian BSL
    mean_adjust: float | None = 0.5
    # "emcee": emcee's stretch move, the log-likelihood of a walker's point kept until it
    # moves; "emcee-mcwm": Monte Carlo within Metropolis, the current points re-estimated with
    # fresh simulations at every step; "emcee-crn": emcee's stretch move with replicate r of
    # every walker simulated from the same random numbers (fit/samplers.py; docs/fit.md says
    # what each costs); "crn-metropolis": a stretch warm-up of ``steps`` steps (all
    # discarded), then ``mh_walkers`` random-walk Metropolis walkers per chain on the same
    # common-numbers surface, in rounds of ``mh_round`` steps, until the diagnostics over the
    # last half of them hold or ``mh_max`` steps have run
    sampler: str = "emcee"
    mh_walkers: int = 2
    mh_round: int = 1000
    mh_max: int = 10000
    # the sampler of the backtest's one-chain refits (no diagnostics are read from them)
    refit_sampler: str = "emcee"

    def __post_init__(self) -> None:
        check_sampler(self.sampler)
        check_sampler(self.refit_sampler)
        if self.refit_sampler == "crn-metropolis":
            raise ModelError("crn-metropolis needs several chains; a refit runs one")
        if self.mh_walkers < 1 or self.mh_round < 8 or self.mh_max < self.mh_round:
            raise ModelError(
                f"budget {self.name!r}: need mh_walkers >= 1, mh_round >= 8 and mh_max >= "
                f"mh_round, got {self.mh_walkers}, {self.mh_round}, {self.mh_max}"
            )

    @property
    def planned_steps(self) -> int:
        """The most steps a reported fit's chain can run (the progress bar's total)."""
        return self.steps + (self.mh_max if self.sampler == "crn-metropolis" else 0)


BUDGETS: dict[str, Budget] = {
    "quick": Budget(
        name="quick", walkers=16, steps=40, burn=20, reps=40, draws=32, draw_reps=4,
        refit_every=4, seeds=(0, 1), n_boot=500, claim_resamples=1000,
        morris_trajectories=6, sobol_n=64, lever_members=1024, origin_step=12,
        mh_round=100, mh_max=400,
    ),
    "full": Budget(
        name="full", walkers=24, steps=150, burn=75, reps=80, draws=64, draw_reps=4,
        refit_every=48, seeds=(0, 1, 2), n_boot=2000, claim_resamples=5000,
        morris_trajectories=20, sobol_n=1024, lever_members=4096, origin_step=1,
        sampler="crn-metropolis", mh_max=20000,
    ),
}  # fmt: skip


def get_budget(name: str | Budget) -> Budget:
    """The budget called ``name``; :class:`ModelError` listing the valid names otherwise."""
    if isinstance(name, Budget):
        return name
    if name not in BUDGETS:
        raise ModelError(f"unknown budget {name!r} (known: {', '.join(BUDGETS)})")
    return BUDGETS[name]
