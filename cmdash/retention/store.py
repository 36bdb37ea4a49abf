"""Trained lapse models kept in the dataset's workspace, so the CLI and the app train once.

A model file is keyed by everything that changes it: the dataset version (its files' count,
sizes and latest change), the as-of date, the asked horizon, the settings that differ from
the defaults, and the versions of this file format, scikit-learn and NumPy. The key's hash
names the file (`models/<hash>.pkl`), and a sidecar (`<hash>.json`) repeats the key in full
with an HMAC-SHA256 of the pickle's bytes.

Never trusted blindly: a pickle is only unpickled when its sidecar's key equals the key
asked for *and* its HMAC checks out under the workspace's secret key (`models/.key`,
32 random bytes, created on first use with mode 0600). A file that fails either check —
stale, truncated, edited, written by someone without the key — is ignored and retrained
over. Files are written to a temporary name and renamed (atomic on one file system); the
pickle is replaced before its sidecar, so a crash between the two leaves a mismatch that
is detected, never a half file that is read.

The HMAC makes the check cryptographic against anyone who can write the models folder but
not read the key; someone who can read the key can already run code as the app's user.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import pickle
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn

from cmdash.settings import Values

FORMAT = 1  # bump when Trained changes shape: older files then no longer match
FOLDER = "models"
KEY_FILE = ".key"
SETTINGS_GROUP = "retention."


@dataclass(frozen=True)
class Loaded:
    value: object  # the trained object
    reused: bool  # True when read from a file, False when just trained (and saved)
    path: Path


def model_key(version: str, as_of: dt.date, horizon_days: int | None, settings: Values,
              kind: str = "lapse") -> dict[str, object]:
    """Everything a saved model depends on, as plain JSON values. Of the settings, those
    the model reads (`retention.*`) and differ from their defaults: a change elsewhere
    (a KPI threshold, a coaching rule) keeps the model."""
    return {"kind": kind, "format": FORMAT, "dataset_version": version,
            "as_of": as_of.isoformat(),
            "horizon_days": int(horizon_days or settings["retention.horizon_days"]),
            "settings": [[k, v] for k, v in settings.items_ if k.startswith(SETTINGS_GROUP)],
            "sklearn": sklearn.__version__, "numpy": np.__version__}


def _name(key: dict[str, object]) -> str:
    text = json.dumps(key, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:24]


def _secret(folder: Path) -> bytes:
    """The workspace's HMAC key, created once: two processes racing to create it agree
    on the first one linked into place (a link never replaces an existing file)."""
    path = folder / KEY_FILE
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".key.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
            os.chmod(tmp, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return path.read_bytes()


def _atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _digest(secret: bytes, data: bytes) -> str:
    return hmac.new(secret, data, hashlib.sha256).hexdigest()


def load(workspace: Path, key: dict[str, object]) -> object | None:
    """The saved object for `key`, or None when there is none or it fails a check."""
    folder = Path(workspace) / FOLDER
    name = _name(key)
    try:
        side = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        data = (folder / f"{name}.pkl").read_bytes()
        secret = (folder / KEY_FILE).read_bytes()
    except (OSError, ValueError):
        return None
    if side.get("key") != key or not hmac.compare_digest(
            str(side.get("hmac", "")), _digest(secret, data)):
        return None
    try:
        return pickle.loads(data)
    except Exception:  # an authenticated file that no longer unpickles: retrain
        return None


def save(workspace: Path, key: dict[str, object], value: object) -> Path:
    folder = Path(workspace) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    name = _name(key)
    _atomic_write(folder / f"{name}.pkl", data)
    side = {"key": key, "hmac": _digest(_secret(folder), data),
            "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    _atomic_write(folder / f"{name}.json",
                  json.dumps(side, ensure_ascii=False, indent=1).encode("utf-8"))
    return folder / f"{name}.pkl"


def load_or_train(workspace: Path, key: dict[str, object], train: Callable[[], object]
                  ) -> Loaded:
    """The saved model for `key`, or a freshly trained one, saved for next time. A
    workspace that cannot be written (read-only) only costs the saving."""
    path = Path(workspace) / FOLDER / f"{_name(key)}.pkl"
    found = load(workspace, key)
    if found is not None:
        return Loaded(found, True, path)
    value = train()
    with contextlib.suppress(OSError):
        save(workspace, key, value)
    return Loaded(value, False, path)
