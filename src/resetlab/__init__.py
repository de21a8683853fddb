"""resetlab: measure, model and stress-test resets between rival states."""

from __future__ import annotations

from resetlab.exceptions import (
    ImportFormatError,
    IndexEstimationError,
    MissingExtraError,
    ModelError,
    Problem,
    ReaderError,
    RecordError,
    ResetlabError,
    ScenarioError,
    StoreError,
)

__version__ = "0.1.0"

__all__ = [
    "ImportFormatError",
    "IndexEstimationError",
    "MissingExtraError",
    "ModelError",
    "Problem",
    "ReaderError",
    "RecordError",
    "ResetlabError",
    "ScenarioError",
    "StoreError",
    "__version__",
]
