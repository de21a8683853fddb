"""Common random numbers across parameter sets: a generator that tiles one set's draws.

A synthetic likelihood simulates ``sets`` parameter sets of ``reps`` members each in one
vectorised run, member ``s * reps + r`` being replicate ``r`` of set ``s``. With a plain
generator every draw covers all members, so the numbers replicate ``r`` of set ``s`` gets
depend on ``s`` and on how many sets share the run: the same parameters give another
estimate in another batch. :class:`CommonNumbers` makes each draw for ``reps`` members only
and repeats it for every set along the draw's member axis, so replicate ``r`` gets the same
numbers in every set and in every batch, and the estimate is a fixed function of the
parameters for one seed (common random numbers; Glasserman & Yao 1992, *Management Science*
38(6), 884-908, on their use in simulation comparisons).

It is a :class:`numpy.random.Generator` so that the engines and mechanisms take it where they
take a generator. Only the draws the engines, the sampled shocks and the observation step
make are tiled (:meth:`random`, :meth:`standard_normal`, and :meth:`tile_month_major` for
the shocks' Bernoulli hits); every other method raises :class:`ModelError` instead of drawing
numbers that would differ between sets. With ``sets == 1`` every draw is the plain
generator's, number for number.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from resetlab.exceptions import ModelError

#: The generator's methods a tiled draw is written for; every other public one refuses.
TILED = ("random", "standard_normal")


class CommonNumbers(np.random.Generator):
    """A generator for ``sets`` blocks of ``reps`` members that draws for one block and tiles.

    ``axis`` is the member axis of every array draw (``-1``: the engines' draws, which are
    (..., members); ``0``: the observation step's, members x months). A draw whose member
    axis is not ``reps * sets`` long raises :class:`ModelError`.
    """

    def __init__(self, base: np.random.Generator, reps: int, sets: int, axis: int) -> None:
        if reps < 1 or sets < 1:
            raise ModelError(f"common numbers need reps >= 1 and sets >= 1, got {reps}, {sets}")
        if axis not in (0, -1):
            raise ModelError(f"the member axis must be 0 or -1, got {axis}")
        super().__init__(base.bit_generator)
        self.base = base
        self.reps = reps
        self.sets = sets
        self.axis = axis

    @property
    def members(self) -> int:
        return self.reps * self.sets

    def _shape(self, size: Any, out: npt.NDArray[Any] | None) -> tuple[int, ...]:
        shape = tuple(out.shape) if out is not None else tuple(np.atleast_1d(size).tolist())
        if size is not None and out is not None and tuple(np.atleast_1d(size)) != shape:
            raise ModelError(f"size {size} and out {shape} disagree")
        if not shape or shape[self.axis] != self.members:
            raise ModelError(
                f"a draw of shape {shape} has no member axis {self.axis} of {self.members} "
                f"members ({self.sets} sets of {self.reps}): common numbers cannot tile it"
            )
        return shape

    def _tiled(self, one: npt.NDArray[Any], out: npt.NDArray[Any] | None) -> npt.NDArray[Any]:
        reps = [1] * one.ndim
        reps[self.axis] = self.sets
        full = np.tile(one, reps)
        if out is None:
            return full
        out[...] = full
        return out

    def random(  # type: ignore[override]
        self, size: Any = None, dtype: Any = np.float64, out: npt.NDArray[Any] | None = None
    ) -> npt.NDArray[Any]:
        shape = list(self._shape(size, out))
        shape[self.axis] = self.reps
        return self._tiled(self.base.random(tuple(shape), dtype=dtype), out)

    def standard_normal(  # type: ignore[override]
        self, size: Any = None, dtype: Any = np.float64, out: npt.NDArray[Any] | None = None
    ) -> npt.NDArray[Any]:
        shape = list(self._shape(size, out))
        shape[self.axis] = self.reps
        return self._tiled(self.base.standard_normal(tuple(shape), dtype=dtype), out)

    def tile_month_major(self, hits: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Hits drawn over (month, replicate) cells, month-major (``t * reps + r``), as the
        sorted month-major indices ``t * members + s * reps + r`` of every set ``s``."""
        t, r = np.divmod(np.asarray(hits, dtype=np.int64), self.reps)
        sets = np.arange(self.sets, dtype=np.int64) * self.reps
        return np.sort(((t * self.members + r)[:, None] + sets[None, :]).ravel())


def _refuse(name: str) -> Any:
    def refuse(self: CommonNumbers, *args: Any, **kwargs: Any) -> Any:
        raise ModelError(
            f"common random numbers tile only {', '.join(TILED)} draws (and the shocks' hits); "
            f"{name} would give every set other numbers"
        )

    return refuse


for _name in dir(np.random.Generator):
    if not _name.startswith("_") and _name not in TILED and _name != "bit_generator":
        setattr(CommonNumbers, _name, _refuse(_name))
