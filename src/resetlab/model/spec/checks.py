"""What the scenario and the perspective schemas share: strict models, months, mechanism
entries checked against the registry, and pydantic's errors as ``file:line: field`` problems."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from resetlab.exceptions import Problem, ScenarioError
from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.spec.yaml_lines import Loc, field_path, line_of

_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def month_value(value: str) -> str:
    """A field validator: ``value`` if it is a month ``YYYY-MM`` (pydantic turns the
    ``ValueError`` into a problem of the field)."""
    if not _MONTH_RE.match(value):
        raise ValueError(f"{value!r} is not a month YYYY-MM")
    return value


class Strict(BaseModel):
    """A frozen model that refuses unknown fields and non-finite numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, allow_inf_nan=False)


class MechanismEntry(Strict):
    """One mechanism: on or off, and its parameters (all of them when on)."""

    enabled: bool
    params: dict[str, float]
    passage: str | None = Field(default=None, description="quoted passage (perspectives)")


def _pydantic_problems(exc: ValidationError, name: str, lines: dict[Loc, int]) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _UNION_TAGS))
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "missing (required; no default)"
        out.append(Problem(name, line_of(lines, loc), field_path(loc), msg))
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


def check_params(
    cls: type, params: dict[str, float], name: str, lines: dict[Loc, int], loc: Loc
) -> list[Problem]:
    fields = {f.name for f in dataclasses.fields(cls)}
    out = []
    for k in sorted(fields - set(params)):
        out.append(Problem(name, line_of(lines, loc), field_path((*loc, k)), "missing (required)"))
    for k in sorted(set(params) - fields):
        known = ", ".join(sorted(fields)) or "none"
        out.append(
            Problem(
                name, line_of(lines, (*loc, k)), field_path((*loc, k)), f"unknown (known: {known})"
            )
        )
    return out


def check_mechanisms(
    mechs: dict[str, MechanismEntry], name: str, lines: dict[Loc, int], loc: Loc
) -> list[Problem]:
    out = []
    for key in MECHANISMS:
        if key not in mechs:
            out.append(
                Problem(name, line_of(lines, loc), field_path((*loc, key)), "missing (required)")
            )
    for key, entry in mechs.items():
        if key not in MECHANISMS:
            msg = f"unknown mechanism (known: {', '.join(MECHANISMS)})"
            out.append(Problem(name, line_of(lines, (*loc, key)), field_path((*loc, key)), msg))
            continue
        if entry.enabled:
            out += check_params(
                MECHANISMS[key].Params, entry.params, name, lines, (*loc, key, "params")
            )
        else:  # a switched-off mechanism may leave params out, but not misname them
            ploc = (*loc, key, "params")
            known = {f.name for f in dataclasses.fields(MECHANISMS[key].Params)}
            for k in sorted(set(entry.params) - known):
                msg = f"unknown (known: {', '.join(sorted(known)) or 'none'})"
                out.append(Problem(name, line_of(lines, (*ploc, k)), field_path((*ploc, k)), msg))
    return out


def parse_model(model: type[BaseModel], data: Any, name: str, lines: dict[Loc, int]) -> Any:
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
