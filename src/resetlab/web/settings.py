"""Settings of the web app: where the data is, who may write, and the bounds on requests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from resetlab.config import project_folder
from resetlab.exceptions import InputError

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765


@dataclass(frozen=True)
class WebSettings:
    """What ``resetlab serve`` was started with.

    ``token`` None means read-only: imports are refused. The ``max_*`` bounds keep one client
    from exhausting the machine: body bytes per request, ensemble members and months per
    scenario run, simultaneous simulations (``workers``) and jobs queued or running.
    """

    store_path: Path | None = None
    scenarios_dir: Path | None = None
    perspectives_dir: Path | None = None
    token: str | None = None
    seed: int = 0
    default_members: int = 500
    max_members: int = 5000
    max_horizon: int = 600
    max_body_bytes: int = 2 * 1024 * 1024
    workers: int = 2
    max_jobs: int = 8
    keep_jobs: int = 100
    analysis_wait_s: float = 120.0

    def __post_init__(self) -> None:
        if self.workers < 1 or self.max_jobs < 1:
            raise InputError("workers and max_jobs must be at least 1")
        if not 1 <= self.default_members <= self.max_members:
            raise InputError("default_members must be between 1 and max_members")
        if self.max_body_bytes < 1024:
            raise InputError("max_body_bytes must be at least 1024")
        if self.token is not None and len(self.token) < 8:
            raise InputError("a token must have at least 8 characters")

    @property
    def read_only(self) -> bool:
        """True when no token was given: the record cannot be changed through the web."""
        return self.token is None

    def scenario_folder(self) -> Path | None:
        """The folder of scenario files offered in the editor (``./scenarios`` by default,
        else the scenarios shipped with the package)."""
        if self.scenarios_dir is not None:
            return self.scenarios_dir
        folder = project_folder("scenarios")
        return folder if folder.is_dir() else None

    def perspective_folder(self) -> Path | None:
        """Where ``perspective: NAME`` is looked up (``perspectives/`` beside the scenarios)."""
        if self.perspectives_dir is not None:
            return self.perspectives_dir
        folder = self.scenario_folder()
        return None if folder is None else project_folder("perspectives", folder)
