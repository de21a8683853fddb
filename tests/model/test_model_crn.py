"""Common random numbers: replicate r of every block of members gets the same numbers, in
both engines, whatever the other blocks of the run; without them a block's numbers depend
on its place."""

from __future__ import annotations

import numpy as np
import pytest
from test_model_fused import make_spec

from resetlab.exceptions import ModelError
from resetlab.model.crn import CommonNumbers
from resetlab.model.engine import run_chunk
from resetlab.model.forcing import bernoulli_hits
from resetlab.model.mechanisms import MECHANISMS

REPS = 6
#: Misperception noise of each block (a per-member parameter the paths depend on).
NOISE = (0.05, 0.2, 0.35)


def _run(blocks: list[int], engine: str, common: int | None) -> np.ndarray:
    """Paths (months x variables x members) of the blocks ``blocks`` (indices into NOISE)."""
    noise = np.repeat(np.asarray([NOISE[b] for b in blocks], dtype=np.float32), REPS)
    spec = make_spec(tuple(MECHANISMS), noise=noise, volatility=0.5, rate=0.05, deterministic=False)
    return run_chunk(spec, len(noise), np.random.SeedSequence(21), engine=engine, common=common)


def _block(paths: np.ndarray, at: int) -> np.ndarray:
    return paths[:, :, at * REPS : (at + 1) * REPS]


@pytest.mark.parametrize("engine", ["numpy", "fused"])
def test_a_blocks_paths_do_not_depend_on_the_other_blocks(engine: str) -> None:
    alone = _run([0], engine, REPS)
    first = _run([0, 1, 2], engine, REPS)
    last = _run([2, 1, 0], engine, REPS)
    np.testing.assert_array_equal(_block(first, 0), alone[:, :, :REPS])
    np.testing.assert_array_equal(_block(last, 2), alone[:, :, :REPS])
    # the paths are random: the replicates differ, and another noise gives other paths
    assert np.abs(alone[-1] - alone[-1][:, :1]).max() > 0.1
    assert np.abs(_block(first, 1) - _block(first, 0)).max() > 0.01
    # one block alone is the plain generator's run, number for number
    np.testing.assert_array_equal(alone, _run([0], engine, None))


@pytest.mark.parametrize("engine", ["numpy", "fused"])
def test_without_common_numbers_a_block_depends_on_its_place(engine: str) -> None:
    alone = _run([0], engine, None)
    last = _run([2, 1, 0], engine, None)
    assert np.abs(_block(last, 2) - alone).max() > 0.1


def test_both_engines_agree_under_common_numbers() -> None:
    a, b = _run([1, 0, 2], "numpy", REPS), _run([1, 0, 2], "fused", REPS)
    np.testing.assert_allclose(a, b, atol=5e-5)  # the fused engine's float32 rounding


def test_draws_are_tiled_along_the_member_axis() -> None:
    g = CommonNumbers(np.random.default_rng(4), 3, 2, axis=-1)
    z = g.standard_normal((5, 6))
    np.testing.assert_array_equal(z[:, :3], z[:, 3:])
    assert len(np.unique(z[:, :3])) == 15
    u = np.empty(6)
    g.random(out=u)
    np.testing.assert_array_equal(u[:3], u[3:])
    rows = CommonNumbers(np.random.default_rng(4), 3, 2, axis=0).standard_normal((6, 4))
    np.testing.assert_array_equal(rows[:3], rows[3:])
    # one set: the plain generator's numbers
    one = CommonNumbers(np.random.default_rng(4), 6, 1, axis=-1).standard_normal((5, 6))
    np.testing.assert_array_equal(one, np.random.default_rng(4).standard_normal((5, 6)))


def test_hits_are_one_blocks_hits_in_every_block() -> None:
    reps, sets, months = 5, 3, 40
    g = CommonNumbers(np.random.default_rng(8), reps, sets, axis=-1)
    cells = bernoulli_hits(np.random.default_rng(8), months * reps, 0.1)
    full = g.tile_month_major(cells)
    assert np.all(np.diff(full) > 0) and len(full) == sets * len(cells)
    t, m = np.divmod(full, reps * sets)
    for s in range(sets):
        mine = (m >= s * reps) & (m < (s + 1) * reps)
        np.testing.assert_array_equal(t[mine] * reps + m[mine] - s * reps, cells)


def test_refusals() -> None:
    g = CommonNumbers(np.random.default_rng(0), 3, 2, axis=-1)
    with pytest.raises(ModelError, match="member axis"):
        g.standard_normal((2, 5))
    with pytest.raises(ModelError, match="integers would give every set other numbers"):
        g.integers(4)
    with pytest.raises(ModelError, match="reps >= 1"):
        CommonNumbers(np.random.default_rng(0), 0, 2, axis=-1)
    spec = make_spec(("m1",))
    with pytest.raises(ModelError, match="whole number"):
        run_chunk(spec, 7, np.random.SeedSequence(0), common=3)
    with pytest.raises(ModelError, match="rng='numpy'"):
        run_chunk(spec, 6, np.random.SeedSequence(0), engine="fused", rng="kernel", common=3)
