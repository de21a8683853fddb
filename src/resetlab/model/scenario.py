"""Scenario and perspective files: YAML validated with pydantic, errors with file:line: field.

A scenario file gives every field; nothing has a silent default (a missing field is an
error). Its mechanisms come either from the file itself (``mechanisms:``, all 21 keys) or
from a perspective (``perspective: NAME`` reads ``perspectives/NAME.yaml``); exactly one of
the two is non-null. See ``docs/model.md`` for the schema with an example.

A perspective file (``perspectives/NAME.yaml``) is one article's account of the relationship:
which mechanisms are on, their parameters, the priors calibration fits, and the claims the
record can test, every choice with the sentence it rests on. See :class:`PerspectiveModel`
and ``docs/fit.md``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from resetlab.exceptions import ModelError, Problem, ScenarioError
from resetlab.model.base import Mechanism, Strategy
from resetlab.model.engine import ModelSpec, Observation
from resetlab.model.forcing import SHOCKS, Forcing, month_range
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.state import INITIAL_VARIABLES
from resetlab.model.strategies import STRATEGIES
from resetlab.record.read import Record

_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
Side = Literal["us", "ru"]
Loc = tuple[str | int, ...]
#: Upper bound of the scenario's noise and volatility (index points per month); the index
#: itself spans about -10..+10, so larger values only turn the model into noise.
MAX_NOISE = 20.0


def _month(value: str) -> str:
    if not _MONTH_RE.match(value):
        raise ValueError(f"{value!r} is not a month YYYY-MM")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, allow_inf_nan=False)


class MechanismEntry(_Strict):
    """One mechanism: on or off, and its parameters (all of them when on)."""

    enabled: bool
    params: dict[str, float]
    passage: str | None = Field(default=None, description="quoted passage (perspectives)")


class StrategyEntry(_Strict):
    """A side's strategy key and all its parameters."""

    key: str
    params: dict[str, float]


class Strategies(_Strict):
    us: StrategyEntry
    ru: StrategyEntry


class ObservationModel(_Strict):
    """Weights of the observation equation (see :class:`resetlab.model.engine.Observation`)."""

    offset: float
    w_coop: float
    w_trust: float
    w_dispute: float
    w_threat: float
    w_shock: float


class Span(_Strict):
    start: str
    end: str

    _m = field_validator("start", "end")(_month)


class TrackSpan(Span):
    """The three tracks of M5 from ``start`` to ``end`` (inclusive), each in [0, 1]."""

    bureaucratic: float = Field(ge=0, le=1)
    arms: float = Field(ge=0, le=1)
    regional: float = Field(ge=0, le=1)
    note: str


class ExerciseSpan(Span):
    """Level of NATO exercises near Russia from ``start`` to ``end``, in [0, 1]."""

    level: float = Field(ge=0, le=1)
    note: str


class Concession(_Strict):
    """One item of a package: a side concedes ``size`` in ``month``."""

    month: str
    side: Side
    size: float = Field(ge=0, le=1)
    item: str

    _m = field_validator("month")(_month)


class TreatyMove(_Strict):
    """From ``month`` on, the share of treaties in force is ``value``."""

    month: str
    value: float = Field(ge=0, le=1)
    note: str

    _m = field_validator("month")(_month)


class ResetMove(_Strict):
    """An announced reset by ``side`` in ``month`` (M19)."""

    month: str
    side: Side
    size: float = Field(ge=0, le=1)
    note: str

    _m = field_validator("month")(_month)


class ScheduledShock(_Strict):
    """A shock of ``type`` and ``size`` to every member in ``month``."""

    month: str
    type: str
    size: float = Field(ge=0, le=1)
    note: str

    _m = field_validator("month")(_month)

    @field_validator("type")
    @classmethod
    def _type(cls, v: str) -> str:
        if v not in SHOCKS:
            raise ValueError(f"{v!r} is not one of {', '.join(SHOCKS)}")
        return v


class Rate(_Strict):
    rate: float = Field(ge=0, le=1)
    size: float = Field(ge=0, le=1)


class Shocks(_Strict):
    """``from_record``: replay the record's monthly shocks (replay mode only). ``rates``:
    ``record`` (estimated on the record), ``none``, or a rate and size per shock type."""

    from_record: bool
    rates: Literal["record", "none"] | dict[str, Rate]
    scheduled: list[ScheduledShock]


class Levers(_Strict):
    tracks: list[TrackSpan]
    exercises: list[ExerciseSpan]
    concessions: list[Concession]
    treaty_moves: list[TreatyMove]
    resets: list[ResetMove]


class ScenarioModel(_Strict):
    """The whole scenario file."""

    name: str
    description: str
    start: str
    horizon: int = Field(ge=1, le=1200)
    mode: Literal["replay", "forecast"]
    noise: float = Field(ge=0, le=MAX_NOISE)
    volatility: float = Field(ge=0, le=MAX_NOISE)
    strategies: Strategies
    perspective: str | None
    mechanisms: dict[str, MechanismEntry] | None
    observation: ObservationModel
    initial: dict[str, float]
    levers: Levers
    shocks: Shocks

    _m = field_validator("start")(_month)


class Source(_Strict):
    """Where a choice comes from: a source article (``000``..``004``) and its exact sentence."""

    file: str
    quote: str = Field(min_length=12)

    @field_validator("file")
    @classmethod
    def _file(cls, v: str) -> str:
        if not re.fullmatch(r"\d{3}", v):
            raise ValueError(f"{v!r} is not a source file id like '002'")
        return v


class PerspectiveMechanism(_Strict):
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


class Prior(_Strict):
    """A prior over one parameter: ``uniform`` on [low, high] or ``normal`` truncated to it."""

    param: str
    dist: Literal["uniform", "normal"]
    low: float
    high: float
    mean: float | None
    sd: float | None = Field(gt=0)
    source: Source | None
    why: str | None


class Claim(_Strict):
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


class Article(_Strict):
    file: str
    title: str
    author: str
    year: int

    _f = field_validator("file")(Source._file.__func__)  # type: ignore[attr-defined]


class PerspectiveModel(_Strict):
    """A perspective file: which mechanisms are on, with what parameters and priors, and why."""

    name: str
    article: Article | None
    description: str
    mechanisms: dict[str, PerspectiveMechanism]
    priors: list[Prior]
    claims: list[Claim]

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


# --------------------------------------------------------------------------- YAML with lines


class _DuplicateKey(Exception):
    def __init__(self, loc: Loc, line: int) -> None:
        self.loc, self.line = loc, line


def _walk(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise _DuplicateKey((*loc, key), key_node.start_mark.line + 1)
            seen.add(key)
            out[(*loc, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), out)
            out[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*loc, i), out)


#: Largest scenario or perspective file read (bytes); the shipped ones are under 20 KB.
MAX_YAML_BYTES = 1 << 20
#: Deepest nesting of mappings and sequences accepted (the schemas need 5).
MAX_YAML_DEPTH = 32
_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)  # fmt: skip
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _yaml_problem(name: str, line: int | None, field: str, message: str) -> ScenarioError:
    problem = Problem(name, line, field, message)
    return ScenarioError(f"{name} is not a file resetlab reads", [problem])


def _screen_yaml(text: str, name: str) -> None:
    """Refuse anchors and aliases (an alias bomb expands a few hundred bytes to gigabytes)
    and nesting deeper than :data:`MAX_YAML_DEPTH`, from the token stream, before any
    node is built."""
    depth = 0
    for tok in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(tok, yaml.AnchorToken | yaml.AliasToken):
            raise _yaml_problem(
                name, tok.start_mark.line + 1, "yaml",
                "YAML anchors and aliases (&name, *name) are not allowed; write values out",
            )  # fmt: skip
        if isinstance(tok, _OPEN):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _yaml_problem(
                    name, tok.start_mark.line + 1, "yaml",
                    f"nested deeper than {MAX_YAML_DEPTH} levels",
                )  # fmt: skip
        elif isinstance(tok, _CLOSE):
            depth -= 1


def _read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """The data of ``path`` and the line of every key (path tuple -> 1-based line)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"cannot read {name}", [Problem(name, None, "file", str(exc))]) from exc
    if len(raw) > MAX_YAML_BYTES:
        size = f"{len(raw):,} bytes, over the {MAX_YAML_BYTES:,} read"
        raise _yaml_problem(name, None, "file", size)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise _yaml_problem(name, bad_line, "encoding", f"not UTF-8 (byte {exc.start})") from None
    try:
        _screen_yaml(text, name)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError(
            f"{name} is not valid YAML", [Problem(name, line, "yaml", str(exc).splitlines()[0])]
        ) from exc
    lines: dict[Loc, int] = {}
    if node is not None:
        try:
            _walk(node, (), lines)
        except _DuplicateKey as dup:
            raise ScenarioError(
                f"{name} does not validate",
                [
                    Problem(
                        name, dup.line, _field(dup.loc), "given twice (YAML keys must be unique)"
                    )
                ],
            ) from None
    return data, lines


def _line(lines: dict[Loc, int], loc: Loc) -> int | None:
    for k in range(len(loc), -1, -1):
        if loc[:k] in lines:
            return lines[loc[:k]]
    return None


def _field(loc: Loc) -> str:
    return ".".join(str(p) for p in loc) or "(file)"


def _pydantic_problems(exc: ValidationError, name: str, lines: dict[Loc, int]) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _UNION_TAGS))
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "missing (required; no default)"
        out.append(Problem(name, _line(lines, loc), _field(loc), msg))
    return out


_UNION_TAGS = {
    "literal['record','none']",
    "dict[str,Rate]",
    "str",
    "dict[str,MechanismEntry]",
    "Source",
    "Article",
    "float",
}


# --------------------------------------------------------------------------- checks


def _check_params(
    cls: type, params: dict[str, float], name: str, lines: dict[Loc, int], loc: Loc
) -> list[Problem]:
    fields = {f.name for f in dataclasses.fields(cls)}
    out = []
    for k in sorted(fields - set(params)):
        out.append(Problem(name, _line(lines, loc), _field((*loc, k)), "missing (required)"))
    for k in sorted(set(params) - fields):
        known = ", ".join(sorted(fields)) or "none"
        out.append(
            Problem(name, _line(lines, (*loc, k)), _field((*loc, k)), f"unknown (known: {known})")
        )
    return out


def _check_mechanisms(
    mechs: dict[str, MechanismEntry], name: str, lines: dict[Loc, int], loc: Loc
) -> list[Problem]:
    out = []
    for key in MECHANISMS:
        if key not in mechs:
            out.append(Problem(name, _line(lines, loc), _field((*loc, key)), "missing (required)"))
    for key, entry in mechs.items():
        if key not in MECHANISMS:
            msg = f"unknown mechanism (known: {', '.join(MECHANISMS)})"
            out.append(Problem(name, _line(lines, (*loc, key)), _field((*loc, key)), msg))
            continue
        if entry.enabled:
            out += _check_params(
                MECHANISMS[key].Params, entry.params, name, lines, (*loc, key, "params")
            )
        else:  # a switched-off mechanism may leave params out, but not misname them
            ploc = (*loc, key, "params")
            known = {f.name for f in dataclasses.fields(MECHANISMS[key].Params)}
            for k in sorted(set(entry.params) - known):
                msg = f"unknown (known: {', '.join(sorted(known)) or 'none'})"
                out.append(Problem(name, _line(lines, (*ploc, k)), _field((*ploc, k)), msg))
    return out


def _parse(model: type[BaseModel], data: Any, name: str, lines: dict[Loc, int]) -> Any:
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{name} does not validate", [Problem(name, 1, "(file)", "must be a YAML mapping")]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            f"{name} does not validate", _pydantic_problems(exc, name, lines)
        ) from None


def _check_perspective(p: PerspectiveModel, name: str, lines: dict[Loc, int]) -> list[Problem]:
    from resetlab.index.claims import CLAIM_TESTS

    out: list[Problem] = []

    def bad(loc: Loc, msg: str) -> None:
        out.append(Problem(name, _line(lines, loc), _field(loc), msg))

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
    return [(_field(loc), src) for loc, src in _sources(p)]


def load_perspective(path: str | Path) -> PerspectiveModel:
    """Read and check a perspective file; :class:`ScenarioError` with file:line: field."""
    path = Path(path)
    name = str(path)
    data, lines = _read_yaml(path)
    p: PerspectiveModel = _parse(PerspectiveModel, data, name, lines)
    problems = _check_mechanisms(p.mechanism_entries(), name, lines, ("mechanisms",))
    problems += _check_perspective(p, name, lines)
    if p.name != path.stem:
        problems.append(Problem(name, _line(lines, ("name",)), "name", "must equal the file name"))
    if problems:
        raise ScenarioError(f"{name} does not validate", problems)
    return p


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A checked scenario: the validated file, its mechanisms resolved, where it came from."""

    model: ScenarioModel
    mechanisms: dict[str, MechanismEntry]
    path: Path | None

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.model.name

    @property
    def months(self) -> pd.PeriodIndex:
        """The simulated months."""
        return month_range(self.model.start, self.model.horizon)


def _perspective_path(name: str, base_dir: Path | None, perspectives_dir: Path | None) -> Path:
    """Where perspective ``name`` is read from: ``perspectives_dir``, else the folder
    ``perspectives/`` beside the scenario file (``base_dir``) or one level up."""
    if perspectives_dir is not None:
        return perspectives_dir / f"{name}.yaml"
    if base_dir is None:
        return Path("perspectives") / f"{name}.yaml"
    candidates = [
        base_dir / "perspectives" / f"{name}.yaml",
        base_dir.parent / "perspectives" / f"{name}.yaml",
    ]
    for c in candidates:
        if c.is_file():
            return c
    return candidates[-1]


def load_scenario(path: str | Path, perspectives_dir: Path | None = None) -> Scenario:
    """Read and check a scenario file (and its perspective); raise :class:`ScenarioError`.

    Every problem found is listed as ``file:line: field: message``; the checks are those of
    :func:`parse_scenario`.
    """
    path = Path(path)
    data, lines = _read_yaml(path)
    scenario = _check_scenario(data, str(path), lines, path.parent, perspectives_dir)
    return dataclasses.replace(scenario, path=path)


def parse_scenario(
    mapping: Any,
    name: str = "(scenario)",
    *,
    perspectives_dir: Path | None = None,
    base_dir: Path | None = None,
) -> Scenario:
    """Check a scenario given as the mapping of its file's fields (parsed YAML or JSON).

    Problems name ``name`` as the file (no line numbers: a mapping has none). A
    ``perspective:`` is read from ``perspectives_dir``, else from ``perspectives/`` beside
    ``base_dir`` (the folder a file would be in) or one level up; else from
    ``./perspectives``. Raises :class:`ScenarioError`.
    """
    return _check_scenario(mapping, name, {}, base_dir, perspectives_dir)


def _check_scenario(
    data: Any,
    name: str,
    lines: dict[Loc, int],
    base_dir: Path | None,
    perspectives_dir: Path | None,
) -> Scenario:
    sc: ScenarioModel = _parse(ScenarioModel, data, name, lines)
    problems: list[Problem] = []

    def bad(loc: Loc, msg: str) -> None:
        problems.append(Problem(name, _line(lines, loc), _field(loc), msg))

    for side in ("us", "ru"):
        entry: StrategyEntry = getattr(sc.strategies, side)
        loc: Loc = ("strategies", side)
        if entry.key not in STRATEGIES:
            bad((*loc, "key"), f"unknown strategy {entry.key!r} (known: {', '.join(STRATEGIES)})")
        else:
            problems += _check_params(
                STRATEGIES[entry.key].Params, entry.params, name, lines, (*loc, "params")
            )
    mechanisms: dict[str, MechanismEntry] = {}
    if (sc.perspective is None) == (sc.mechanisms is None):
        bad(("perspective",), "give exactly one of perspective and mechanisms (the other null)")
    elif sc.mechanisms is not None:
        problems += _check_mechanisms(sc.mechanisms, name, lines, ("mechanisms",))
        mechanisms = dict(sc.mechanisms)
    else:
        assert sc.perspective is not None
        ppath = _perspective_path(sc.perspective, base_dir, perspectives_dir)
        if not ppath.is_file():
            bad(("perspective",), f"no perspective file {ppath}")
        else:
            mechanisms = load_perspective(ppath).mechanism_entries()
    for var in INITIAL_VARIABLES:
        if var not in sc.initial:
            bad(("initial", var), "missing (required)")
    for var in sc.initial:
        if var not in INITIAL_VARIABLES:
            bad(
                ("initial", var),
                f"not a starting variable (those are: {', '.join(INITIAL_VARIABLES)})",
            )
    start = pd.Period(sc.start, freq="M")
    end = start + (sc.horizon - 1)

    def in_range(loc: Loc, month: str) -> None:
        m = pd.Period(month, freq="M")
        if not start <= m <= end:
            bad(loc, f"{month} is outside the scenario ({start} to {end})")

    lv = sc.levers
    for kind in ("tracks", "exercises"):
        for i, span in enumerate(getattr(lv, kind)):
            if span.end < span.start:
                bad(("levers", kind, i, "end"), "ends before it starts")
    for kind in ("concessions", "treaty_moves", "resets"):
        for i, item in enumerate(getattr(lv, kind)):
            in_range(("levers", kind, i, "month"), item.month)
    for i, shock in enumerate(sc.shocks.scheduled):
        in_range(("shocks", "scheduled", i, "month"), shock.month)
    if sc.shocks.from_record and sc.mode != "replay":
        bad(("shocks", "from_record"), "only a replay takes its shocks from the record")
    if sc.mode == "replay" and sc.shocks.rates != "none":
        bad(("shocks", "rates"), "a replay samples no shocks: set rates: none")
    if isinstance(sc.shocks.rates, dict):
        for k in sc.shocks.rates:
            if k not in SHOCKS:
                bad(("shocks", "rates", k), f"not a shock type ({', '.join(SHOCKS)})")
    if problems:
        raise ScenarioError(f"{name} does not validate", problems)
    return Scenario(model=sc, mechanisms=mechanisms, path=None)


# --------------------------------------------------------------------------- to a model


def _fill(months: pd.PeriodIndex, start: str, end: str) -> Iterator[int]:
    a, b = pd.Period(start, freq="M"), pd.Period(end, freq="M")
    for i, m in enumerate(months):
        if a <= m <= b:
            yield i


def scenario_forcing(
    scenario: Scenario,
    series: dict[str, np.ndarray] | None = None,
    record_shocks: dict[str, np.ndarray] | None = None,
    record: Record | None = None,
) -> Forcing:
    """The scenario's forcing: the record's clocks/treaties (or ``series``), plus its levers.

    ``record`` is the record the forcing reads (a store's, from
    :func:`resetlab.record.read.read_record`; default the built-in record). Pass ``series``
    (clock, tenure, leader changes, treaties) and ``record_shocks`` to run without the record
    (tests, other pairs of states).
    """
    from resetlab.model import forcing as fz

    sc = scenario.model
    months = scenario.months
    n = len(months)
    base = fz.record_series(months, record=record) if series is None else series
    s: dict[str, np.ndarray] = {k: np.zeros(n) for k in fz.SERIES}
    for k, v in base.items():
        s[k] = np.asarray(v, dtype=np.float64).copy()
    pos = {m: i for i, m in enumerate(months)}
    lv = sc.levers
    for tr in lv.tracks:
        for i in _fill(months, tr.start, tr.end):
            s["track_bureaucratic"][i] = tr.bureaucratic
            s["track_arms"][i] = tr.arms
            s["track_regional"][i] = tr.regional
    for ex in lv.exercises:
        for i in _fill(months, ex.start, ex.end):
            s["exercises"][i] = ex.level
    # Items outside the months are skipped (a checked scenario has none; a backtest
    # truncates the replay scenario before its later levers).
    for c in lv.concessions:
        if (j := pos.get(pd.Period(c.month, freq="M"))) is not None:
            s[f"concession_{c.side}"][j] += c.size
    for mv in sorted(lv.treaty_moves, key=lambda m: m.month):
        if (j := pos.get(pd.Period(mv.month, freq="M"))) is not None:
            s["treaties"][j:] = mv.value
    for r in lv.resets:
        if (j := pos.get(pd.Period(r.month, freq="M"))) is not None:
            s[f"reset_{r.side}"][j] += r.size
    shocks = {k: np.zeros(n) for k in SHOCKS}
    if sc.shocks.from_record:
        rec = fz.record_shocks(months, record) if record_shocks is None else record_shocks
        for k in SHOCKS:
            shocks[k] = np.asarray(rec[k], dtype=np.float64).copy()
    for sh in sc.shocks.scheduled:
        if (j := pos.get(pd.Period(sh.month, freq="M"))) is not None:
            shocks[sh.type][j] = min(1.0, shocks[sh.type][j] + sh.size)
    rates: dict[str, float] = {}
    sizes: dict[str, float] = {}
    if sc.shocks.rates == "record":
        history = fz.month_range("1992-01", 408)  # 1992-01 .. 2025-12
        hist = fz.record_shocks(history, record) if record_shocks is None else record_shocks
        rates, sizes = fz.estimate_rates(hist)
    elif isinstance(sc.shocks.rates, dict):
        rates = {k: v.rate for k, v in sc.shocks.rates.items()}
        sizes = {k: v.size for k, v in sc.shocks.rates.items()}
    return Forcing(months, s, shocks, rates, sizes)


def build_mechanisms(entries: dict[str, MechanismEntry]) -> tuple[Mechanism, ...]:
    """Instances of the mechanisms switched on, with their parameters."""
    out = []
    for key, entry in entries.items():
        if not entry.enabled:
            continue
        cls = MECHANISMS.get(key)
        if cls is None:
            raise ModelError(f"unknown mechanism {key!r}")
        out.append(cls(cls.Params(**entry.params)))
    return tuple(out)


def build_strategy(entry: StrategyEntry) -> Strategy:
    """An instance of the strategy ``entry`` names."""
    cls = STRATEGIES.get(entry.key)
    if cls is None:
        raise ModelError(f"unknown strategy {entry.key!r}")
    return cls(cls.Params(**entry.params))


def build_spec(
    scenario: Scenario, forcing: Forcing | None = None, record: Record | None = None
) -> ModelSpec:
    """The runnable :class:`ModelSpec` of a checked scenario; its forcing from ``forcing``,
    else from ``record`` (default the built-in record, :func:`scenario_forcing`)."""
    sc = scenario.model
    return ModelSpec(
        mechanisms=build_mechanisms(scenario.mechanisms),
        strategy_us=build_strategy(sc.strategies.us),
        strategy_ru=build_strategy(sc.strategies.ru),
        observation=Observation(**sc.observation.model_dump()),
        initial=dict(sc.initial),
        forcing=scenario_forcing(scenario, record=record) if forcing is None else forcing,
        base_noise=sc.noise,
        base_volatility=sc.volatility,
        name=sc.name,
    )
