"""Every registered mechanism and strategy passes the shared contract (modelbase.py)."""

from __future__ import annotations

from modelbase import MechanismContract, StrategyContract

from resetlab.model.mechanisms import MECHANISMS
from resetlab.model.strategies import STRATEGIES

for _key, _cls in MECHANISMS.items():
    globals()[f"TestMechanism_{_key}"] = type(
        f"TestMechanism_{_key}", (MechanismContract,), {"mechanism": _cls}
    )

for _key, _cls in STRATEGIES.items():
    _name = "TestStrategy_" + _key.replace("-", "_")
    globals()[_name] = type(_name, (StrategyContract,), {"strategy": _cls})


def test_registries_complete() -> None:
    assert list(MECHANISMS) == [f"m{i}" for i in range(1, 22)]
    assert set(STRATEGIES) == {
        "tit-for-tat", "generous-tit-for-tat", "grit", "hardline", "reset-initiative",
        "package-deal",
    }  # fmt: skip
    modules = {cls.__module__ for cls in MECHANISMS.values()}
    assert len(modules) == 21  # one module each
