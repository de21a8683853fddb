"""The perspective schema: one article's account of the relationship, checked.

A perspective file (``perspectives/NAME.yaml``) says which mechanisms are on, their
parameters, the priors calibration fits, and the claims the record can test, every choice
with the sentence it rests on. See :class:`PerspectiveModel` and ``docs/fit.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from resetlab.exceptions import Problem, ScenarioError
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.spec.checks import MechanismEntry, Strict, check_mechanisms, parse_model
from resetlab.model.spec.yaml_lines import Loc, field_path, line_of, read_yaml


class Source(Strict):
    """Where a choice comes from: a source article (``000``..``004``) and its exact sentence."""

    file: str
    quote: str = Field(min_length=12)

    @field_validator("file")
    @classmethod
    def _file(cls, v: str) -> str:
        if not re.fullmatch(r"\d{3}", v):
            raise ValueError(f"{v!r} is not a source file id like '002'")
        return v


class PerspectiveMechanism(Strict):
    """A mechanism in a perspective: on (with every parameter and a quote) or off (and why)."""

    enabled: bool
    params: dict[str, float]
    source: Source | None
    why: str | None


#: Parameters a prior may name besides ``mK.param``.
GLOBAL_PARAMS: tuple[str, ...] = (
    "noise",
    "volatility",
    "observation.offset",
    "observation.w_coop",
    "observation.w_trust",
    "observation.w_dispute",
    "observation.w_threat",
    "observation.w_shock",
)
#: Priors every perspective must give. None: the calibration anchors the observation's
#: level to the measured index and holds ``volatility`` at the replay scenario's value
#: (``docs/fit.md``), so neither is a fitted parameter any more.
REQUIRED_PRIORS: tuple[str, ...] = ()


class Prior(Strict):
    """A prior over one parameter: ``uniform`` on [low, high] or ``normal`` truncated to it."""

    param: str
    dist: Literal["uniform", "normal"]
    low: float
    high: float
    mean: float | None
    sd: float | None = Field(gt=0)
    source: Source | None
    why: str | None


class PerspectiveClaim(Strict):
    """An empirical claim of the article, tested on the record by the named test."""

    id: str
    claim: str
    mechanism: str
    test: str
    #: "+" the test's claimed sentence, "-" its opposite, "0" no effect (a null claim, tested
    #: for equivalence within ``margin``).
    direction: Literal["+", "-", "0"]
    source: Source
    #: A null claim's equivalence margin, in the test's effect units, and why that size.
    margin: float | None = None
    margin_why: str | None = None


class Article(Strict):
    file: str
    title: str
    author: str
    year: int

    _f = field_validator("file")(Source._file.__func__)  # type: ignore[attr-defined]


class PerspectiveModel(Strict):
    """A perspective file: which mechanisms are on, with what parameters and priors, and why."""

    name: str
    article: Article | None
    description: str
    mechanisms: dict[str, PerspectiveMechanism]
    priors: list[Prior]
    claims: list[PerspectiveClaim]

    def mechanism_entries(self) -> dict[str, MechanismEntry]:
        """The mechanisms as a scenario's ``mechanisms`` block (quotes kept as passages)."""
        return {
            k: MechanismEntry(
                enabled=m.enabled,
                params=dict(m.params),
                passage=m.source.quote if m.source is not None else None,
            )
            for k, m in self.mechanisms.items()
        }


def _check_perspective(p: PerspectiveModel, name: str, lines: dict[Loc, int]) -> list[Problem]:
    from resetlab.index.claims import CLAIM_TESTS

    out: list[Problem] = []

    def bad(loc: Loc, msg: str) -> None:
        out.append(Problem(name, line_of(lines, loc), field_path(loc), msg))

    for key, m in p.mechanisms.items():
        loc: Loc = ("mechanisms", key)
        if m.enabled and m.source is None:
            bad((*loc, "source"), "a mechanism switched on needs the sentence it rests on")
        if not m.enabled and m.source is None and not m.why:
            bad((*loc, "why"), "a mechanism switched off needs a source or a reason (why)")
    seen: set[str] = set()
    for i, pr in enumerate(p.priors):
        loc = ("priors", i)
        if pr.param in seen:
            bad((*loc, "param"), f"{pr.param} has two priors")
        seen.add(pr.param)
        if pr.param not in GLOBAL_PARAMS:
            key, _, field = pr.param.partition(".")
            mech = p.mechanisms.get(key)
            if key not in MECHANISMS or mech is None:
                known = ", ".join(GLOBAL_PARAMS)
                bad((*loc, "param"), f"{pr.param!r} is not mK.param or one of {known}")
            elif not mech.enabled:
                bad((*loc, "param"), f"{pr.param}: {key} is switched off")
            elif field not in mech.params:
                names = ", ".join(mech.params)
                bad((*loc, "param"), f"{pr.param}: {key} has no parameter {field!r} ({names})")
            elif not pr.low <= mech.params[field] <= pr.high:
                bad((*loc, "low"), f"the stated value {mech.params[field]} is outside [low, high]")
        if not pr.low < pr.high:
            bad((*loc, "high"), "high must be above low")
        if pr.dist == "normal" and (pr.mean is None or pr.sd is None):
            bad((*loc, "mean" if pr.mean is None else "sd"), "a normal prior needs mean and sd")
        elif pr.dist == "normal" and pr.mean is not None and not pr.low <= pr.mean <= pr.high:
            bad((*loc, "mean"), "the mean of a truncated normal must lie in [low, high]")
        if pr.dist == "uniform" and (pr.mean is not None or pr.sd is not None):
            bad((*loc, "mean"), "a uniform prior takes no mean or sd (set them null)")
        if pr.source is None and not pr.why:
            bad((*loc, "why"), "a prior needs a source or a reason (why)")
    for req in REQUIRED_PRIORS:
        if req not in seen:
            bad(("priors",), f"missing a prior for {req} (required)")
    ids: set[str] = set()
    for i, c in enumerate(p.claims):
        loc = ("claims", i)
        if c.id in ids:
            bad((*loc, "id"), f"claim id {c.id!r} is used twice")
        ids.add(c.id)
        if c.test not in CLAIM_TESTS:
            bad((*loc, "test"), f"unknown test {c.test!r} (known: {', '.join(CLAIM_TESTS)})")
        if c.mechanism not in MECHANISMS:
            bad((*loc, "mechanism"), f"unknown mechanism (known: {', '.join(MECHANISMS)})")
        if c.direction == "0":
            if c.margin is None:
                bad((*loc, "margin"), "a null claim (direction '0') needs an equivalence margin")
            elif not c.margin > 0:
                bad((*loc, "margin"), f"the margin must be positive, got {c.margin}")
            if not c.margin_why:
                bad((*loc, "margin_why"), "a null claim's margin needs its justification")
        elif c.margin is not None or c.margin_why is not None:
            bad((*loc, "margin"), "only a null claim (direction '0') takes a margin")
    if p.article is not None:
        for loc, src in _sources(p):
            if src.file != p.article.file:
                bad(
                    (*loc, "source", "file"),
                    f"quotes file {src.file}, not the article's {p.article.file}",
                )
    return out


def _sources(p: PerspectiveModel) -> Iterator[tuple[Loc, Source]]:
    for key, m in p.mechanisms.items():
        if m.source is not None:
            yield ("mechanisms", key), m.source
    for i, pr in enumerate(p.priors):
        if pr.source is not None:
            yield ("priors", i), pr.source
    for i, c in enumerate(p.claims):
        yield ("claims", i), c.source


def perspective_quotes(p: PerspectiveModel) -> list[tuple[str, Source]]:
    """Every quoted source of a perspective, with the field it backs (to check against texts)."""
    return [(field_path(loc), src) for loc, src in _sources(p)]


def load_perspective(path: str | Path) -> PerspectiveModel:
    """Read and check a perspective file; :class:`ScenarioError` with file:line: field."""
    path = Path(path)
    name = str(path)
    data, lines = read_yaml(path)
    p: PerspectiveModel = parse_model(PerspectiveModel, data, name, lines)
    problems = check_mechanisms(p.mechanism_entries(), name, lines, ("mechanisms",))
    problems += _check_perspective(p, name, lines)
    if p.name != path.stem:
        problems.append(
            Problem(name, line_of(lines, ("name",)), "name", "must equal the file name")
        )
    if problems:
        raise ScenarioError(f"{name} does not validate", problems)
    return p
