"""An on-disk cache of fit results whose entries are signed, so a handed-over file never runs.

Results (posteriors, backtests, outlooks, lever analyses, claim tables) are Python objects
with NumPy arrays and DataFrames inside; they are serialised with :mod:`pickle`, which can
run code when it loads. An entry is therefore written as ``MAGIC + HMAC-SHA256(key, payload)
+ payload`` and loaded only when its tag verifies under this machine's key. The key is 32
random bytes in a file created with mode 0600 *outside* the resetlab home, at
``$RESETLAB_CACHE_KEY`` or ``~/.config/resetlab/cache.key``: a cache folder copied from
elsewhere, or a file dropped into it, carries no valid tag and is discarded unread.

The threat model (docs/reliability.md): anyone who can write the cache folder but not read
the key file cannot make resetlab unpickle their bytes. Anyone who can read the key file
already runs code as the user.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAGIC = b"resetlab-cache-v1\n"
_TAG = hashlib.sha256().digest_size


def key_path() -> Path:
    """Where this machine's cache key lives (``$RESETLAB_CACHE_KEY`` or ``~/.config``)."""
    env = os.environ.get("RESETLAB_CACHE_KEY")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "resetlab" / "cache.key"


def cache_key() -> bytes:
    """This machine's signing key, created on first use (32 random bytes, mode 0600)."""
    path = key_path()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(32))
    try:
        os.link(tmp, path)  # first writer wins; a concurrent one reads the winner's key
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_bytes()


def _tag(payload: bytes) -> bytes:
    return hmac.new(cache_key(), payload, hashlib.sha256).digest()


def dump(value: Any) -> bytes:
    """``value`` as a signed cache entry."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + _tag(payload) + payload


class _UnsignedEntry(Exception):
    """A cache entry without a valid signature (never unpickled)."""


def _load(blob: bytes) -> Any:
    """The value of a signed entry; :class:`_UnsignedEntry` if its tag does not verify."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _TAG:
        raise _UnsignedEntry("not a resetlab cache entry")
    tag = blob[len(MAGIC) : len(MAGIC) + _TAG]
    payload = blob[len(MAGIC) + _TAG :]
    if not hmac.compare_digest(tag, _tag(payload)):
        raise _UnsignedEntry("signature does not match this machine's cache key")
    return pickle.loads(payload)  # noqa: S301 - verified above: written by this machine


def read(path: Path, log: Callable[[str], None]) -> tuple[bool, Any]:
    """``(True, value)`` for a valid entry at ``path``; ``(False, None)`` otherwise.

    An entry that fails verification or does not load is removed and reported, never used.
    """
    if not path.is_file():
        return False, None
    try:
        return True, _load(path.read_bytes())
    except _UnsignedEntry as exc:
        log(f"cache entry {path.name} ignored and removed: {exc}")
    except Exception as exc:  # a signed entry of an older code version that no longer loads
        log(f"cache entry {path.name} could not be loaded ({type(exc).__name__}); recomputing")
    path.unlink(missing_ok=True)
    return False, None


def write(path: Path, value: Any) -> None:
    """Write a signed entry atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(dump(value))
    tmp.replace(path)
