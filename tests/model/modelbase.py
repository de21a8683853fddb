"""The contract every mechanism and every strategy must pass (shared test base classes).

Subclass :class:`MechanismContract` (set ``mechanism``) or :class:`StrategyContract` (set
``strategy``); pytest collects the subclasses. Checked: reproducible with a seed, honest
``stochastic`` flag, output shapes, reads and writes exactly what the metadata says,
inputs not modified, picklable, metadata quoting the seed articles.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from resetlab.model.base import Context, Mechanism, Strategy
from resetlab.model.state import INDEX, N_VARIABLES, VARIABLES

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
N = 2048  # enough members that a rare random branch (a 1% hazard) shows in a step


def random_state(rng: np.random.Generator, n: int = N) -> np.ndarray:
    """A state with every variable drawn within its range."""
    x = np.asfortranarray(rng.random((n, N_VARIABLES)).astype(np.float32))
    x[:, INDEX["clock_us"]] = rng.integers(0, 48, n)
    x[:, INDEX["clock_ru"]] = rng.integers(0, 72, n)
    x[:, INDEX["tenure_us"]] = rng.integers(0, 96, n)
    x[:, INDEX["tenure_ru"]] = rng.integers(0, 300, n)
    x[:, INDEX["relations"]] = rng.uniform(-10, 10, n)
    x[:, INDEX["ratchet"]] = rng.integers(0, 4, n)
    x[:, INDEX["reset_age"]] = rng.integers(0, 60, n)
    x[:, INDEX["regime_ru"]] = rng.integers(0, 2, n)
    x[:, INDEX["package"]] = rng.uniform(-1, 1, n)
    return x


def busy_context(rng: np.random.Generator, n: int = N) -> Context:
    """A context where every input is non-zero, shocks as per-member arrays."""
    return Context(
        t=5,
        concession_us=0.2,
        concession_ru=0.1,
        exercises=0.3,
        track_bureaucratic=0.5,
        track_arms=0.5,
        track_regional=0.5,
        reset_us=0.5,
        reset_ru=0.0,
        treaties=0.4,
        treaties_prev=0.8,
        leader_change_us=1.0,
        leader_change_ru=1.0,
        hostile_us=rng.random(n) * 0.5,
        hostile_ru=rng.random(n) * 0.5,
        regional=rng.random(n) * 0.5,
        common=rng.random(n) * 0.5,
        ratchet_us=(rng.random(n) < 0.1).astype(float),
        ratchet_ru=(rng.random(n) < 0.1).astype(float),
        base_noise=0.1,
        base_volatility=0.5,
    )


def quiet_context(busy: Context) -> Context:
    """``busy`` with every lever and shock at zero (the same month and base noise)."""
    zero = {
        f.name: np.zeros_like(v) if isinstance(v := getattr(busy, f.name), np.ndarray) else 0.0
        for f in dataclasses.fields(busy)
        if f.name not in ("t", "base_noise", "base_volatility")
    }
    return dataclasses.replace(busy, **zero)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class MechanismContract:
    """Shared tests for one mechanism class."""

    mechanism: ClassVar[type[Mechanism]]

    def run(self, seed: int, m: Mechanism | None = None) -> dict[int, np.ndarray]:
        rng = np.random.default_rng(1234)
        x, ctx = random_state(rng), busy_context(rng)
        m = self.mechanism() if m is None else m
        return m.step(x, ctx, np.random.default_rng(seed))

    def test_reproducible_with_seed(self) -> None:
        a, b = self.run(7), self.run(7)
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])

    def test_stochastic_flag_is_honest(self) -> None:
        a, b = self.run(1), self.run(2)
        differs = any(not np.array_equal(a[k], b[k]) for k in a)
        assert differs == self.mechanism.meta.stochastic

    def test_output_shapes_and_writes(self) -> None:
        out = self.run(3)
        assert set(out) == {INDEX[v] for v in self.mechanism.meta.writes}
        for values in out.values():
            assert np.shape(values) == (N,)
            assert np.all(np.isfinite(values))

    def test_reads_only_what_the_metadata_says(self) -> None:
        """Redrawing every variable outside ``meta.reads`` leaves the step's output as it was."""
        rng = np.random.default_rng(1234)
        x, ctx = random_state(rng), busy_context(rng)
        other = random_state(np.random.default_rng(4321))
        unread = [INDEX[v] for v in VARIABLES if v not in self.mechanism.meta.reads]
        y = x.copy(order="F")
        y[:, unread] = other[:, unread]
        m = self.mechanism()
        a = m.step(x, ctx, np.random.default_rng(3))
        b = m.step(y, ctx, np.random.default_rng(3))
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_array_equal(a[k], b[k], err_msg=VARIABLES[k])

    def test_reads_what_the_metadata_says(self) -> None:
        """Redrawing a variable in ``meta.reads`` changes the step's output, in a busy month
        or in a quiet one (no levers, no shocks): none is listed that the step never reads."""
        rng = np.random.default_rng(1234)
        x, busy = random_state(rng), busy_context(rng)
        quiet = quiet_context(busy)
        other = random_state(np.random.default_rng(4321))
        m = self.mechanism()
        unused = []
        for v in self.mechanism.meta.reads:
            y = x.copy(order="F")
            y[:, INDEX[v]] = other[:, INDEX[v]]
            for ctx in (busy, quiet):
                a = m.step(x, ctx, np.random.default_rng(3))
                b = m.step(y, ctx, np.random.default_rng(3))
                if any(not np.array_equal(a[k], b[k]) for k in a):
                    break
            else:
                unused.append(v)
        assert not unused, f"listed in reads but never changes the output: {unused}"

    def test_inputs_not_modified(self) -> None:
        rng = np.random.default_rng(99)
        x, ctx = random_state(rng), busy_context(rng)
        x0 = x.copy()
        shocks0 = {f.name: np.copy(getattr(ctx, f.name)) for f in dataclasses.fields(ctx)}
        out = self.mechanism().step(x, ctx, np.random.default_rng(0))
        np.testing.assert_array_equal(x, x0)
        for name, before in shocks0.items():
            np.testing.assert_array_equal(getattr(ctx, name), before)
        for values in out.values():
            assert not np.shares_memory(values, x)

    def test_picklable(self) -> None:
        m = self.mechanism()
        clone = pickle.loads(pickle.dumps(m))
        assert clone == m
        a, b = self.run(5, m), self.run(5, clone)
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])

    def test_params_frozen_dataclass_with_defaults(self) -> None:
        p = self.mechanism.Params()
        assert dataclasses.is_dataclass(p)
        assert type(p).__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert all(isinstance(getattr(p, f.name), float) for f in dataclasses.fields(p))

    def test_metadata(self) -> None:
        meta = self.mechanism.meta
        assert re.fullmatch(r"m([1-9]|1\d|2[01])", meta.key)
        assert set(meta.reads) <= set(VARIABLES) and set(meta.writes) <= set(VARIABLES)
        assert meta.sources and all(re.fullmatch(r"00[0-4]", s) for s in meta.sources)
        assert meta.quotes and self.mechanism.__doc__
        module = self.mechanism.__module__.rsplit(".", 1)[-1]
        assert module.startswith(f"m{int(meta.key[1:]):02d}_")

    def test_quotes_are_in_the_seed_articles(self) -> None:
        if not SEEDS.is_dir():
            import pytest

            pytest.skip("seed articles absent")
        texts = {p.name[:3]: _norm(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
        for quote in self.mechanism.meta.quotes:
            assert any(_norm(quote) in texts[s] for s in self.mechanism.meta.sources), quote


def play(strategy: Strategy, opponent: list[float]) -> list[float]:
    """Moves of ``strategy`` against a fixed opponent sequence (no noise; one member)."""
    memory = strategy.init_memory(1)
    own = np.array([0.0])
    moves = []
    for t in range(len(opponent)):
        seen = np.array([opponent[t - 1] if t > 0 else opponent[0]])
        own, memory = strategy.move(t, own, seen, memory, np.array([0.0]))
        moves.append(round(float(own[0]), 6))
    return moves


class StrategyContract:
    """Shared tests for one strategy class."""

    strategy: ClassVar[type[Strategy]]

    def run(self, seed: int, s: Strategy | None = None) -> list[Any]:
        rng = np.random.default_rng(seed)
        s = self.strategy() if s is None else s
        mem = s.init_memory(N)
        own = rng.random(N)
        out = []
        for t in range(6):
            seen = rng.random(N)
            own, mem = s.move(t, own, seen, mem, rng.random(N) * 0.1)
            out.append((own.copy(), mem.copy()))
        return out

    def test_reproducible_with_seed(self) -> None:
        for (a, ma), (b, mb) in zip(self.run(3), self.run(3), strict=True):
            np.testing.assert_array_equal(a, b)
            np.testing.assert_array_equal(ma, mb)

    def test_output_shapes_and_range(self) -> None:
        for own, mem in self.run(4):
            assert own.shape == (N,)
            assert mem.shape == (N, self.strategy.meta.memory)
            assert np.all((own >= 0) & (own <= 1))

    def test_inputs_not_modified(self) -> None:
        s = self.strategy()
        rng = np.random.default_rng(0)
        mem = s.init_memory(N) + 0.5
        own, seen, lever = rng.random(N), rng.random(N), rng.random(N)
        copies = [a.copy() for a in (mem, own, seen, lever)]
        for t in (0, 1, 2):
            out, new_mem = s.move(t, own, seen, mem, lever)
            assert not np.shares_memory(out, own) and not np.shares_memory(new_mem, mem)
        for a, b in zip((mem, own, seen, lever), copies, strict=True):
            np.testing.assert_array_equal(a, b)

    def test_picklable(self) -> None:
        s = self.strategy()
        clone = pickle.loads(pickle.dumps(s))
        assert clone == s
        for (a, _), (b, _) in zip(self.run(8, s), self.run(8, clone), strict=True):
            np.testing.assert_array_equal(a, b)

    def test_metadata(self) -> None:
        meta = self.strategy.meta
        assert meta.key and meta.name and meta.description and meta.memory >= 0
        assert dataclasses.is_dataclass(self.strategy.Params)
        assert self.strategy.Params.__dataclass_params__.frozen  # type: ignore[attr-defined]
