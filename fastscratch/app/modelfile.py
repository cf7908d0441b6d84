"""Safe model files: plain arrays in an ``.npz`` read with ``allow_pickle=False``, plus JSON.

A fastscratch model file holds ``W0, b0, W1, b1, ...`` (float32 or float64) and ``metadata``,
a UTF-8 JSON document stored as a uint8 array: format version, fastscratch version,
architecture, hyperparameters, threshold, training metrics and the word-vector fingerprint.
Nothing in it is ever unpickled. Loading checks keys, shapes, dtypes and finiteness and
raises :class:`~fastscratch.errors.ModelFileError` on any mismatch. Writes go through
:func:`fastscratch.atomic.atomic_file`, so an interrupted save never leaves a file that looks
valid.

The original notebook saved ``np.savez(path, layers=model.layers)``: an object array of
dicts, i.e. a pickle, which can run arbitrary code when loaded. :func:`import_original`
reads it only when the caller says ``allow_pickle=True``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from fastscratch.atomic import atomic_file
from fastscratch.errors import ModelFileError, ParameterError

FORMAT = "fastscratch-model"
FORMAT_VERSION = 1
EXTRA_ARRAYS = ("feature_mean", "feature_scale")
"""Optional arrays beside the layers: the feature standardization, ``(x - mean) / scale``."""


def save_arrays(path, layers: list[dict], metadata: dict, *, extra: dict | None = None) -> Path:
    """Write ``layers`` (dicts with ``W`` float[prev, h] and ``b`` float[1, h]), ``metadata``, and
    the named 1-D float32 arrays of ``extra`` (the feature standardization's ``feature_mean`` and
    ``feature_scale``, present when ``metadata["features"]["standardize"]``)."""
    arrays = {}
    for i, layer in enumerate(layers):
        arrays[f"W{i}"] = np.ascontiguousarray(layer["W"])
        arrays[f"b{i}"] = np.ascontiguousarray(layer["b"]).reshape(1, -1)
    for name, values in (extra or {}).items():
        if name not in EXTRA_ARRAYS:
            raise ParameterError(f"unknown model array {name!r}; known: {EXTRA_ARRAYS}")
        arrays[name] = np.ascontiguousarray(values, dtype=np.float32).reshape(-1)
    meta = dict(metadata, format=FORMAT, format_version=FORMAT_VERSION, n_layers=len(layers))
    arrays["metadata"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8)

    def write(tmp):
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)

    return atomic_file(path, write)


def load_arrays(path, *, with_extra: bool = False):
    """Read and validate a model file: ``(layers, metadata)``, or ``(layers, metadata, extra)``
    with ``with_extra`` (a dict of the standardization arrays, empty when there are none);
    ModelFileError on any problem."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":  # np.load would take anything else for a pickle
            raise ModelFileError(f"{path}: not a readable model file (not an .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as z:
            names = set(z.files)
            if "layers" in names and "metadata" not in names:
                raise ModelFileError(
                    f"{path}: this is the original ScratchNet's np.savez(..., layers=model.layers) file. "
                    "Its layers are pickled Python objects, and loading a pickle can run arbitrary code. "
                    "If you trust the file, import it with --allow-pickle (Python: "
                    "fastscratch.app.modelfile.import_original(path, allow_pickle=True)); it is then "
                    "converted to fastscratch's safe format."
                )
            if "metadata" not in names:
                raise ModelFileError(f"{path}: not a fastscratch model file (no metadata; has {sorted(names)})")
            meta = _read_metadata(path, z["metadata"])
            extra = _read_extra(path, z, names, meta)
            layers = _read_layers(path, z, names - set(extra), meta)
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelFileError(f"{path}: not a readable model file ({exc})") from None
    except ValueError as exc:  # object arrays refused under allow_pickle=False, corrupt members
        raise ModelFileError(f"{path}: not a safe fastscratch model file ({exc})") from None
    return (layers, meta, extra) if with_extra else (layers, meta)


def _read_extra(path: Path, z, names: set, meta: dict) -> dict:
    """The standardization arrays: float32[input_size], finite, scale > 0; required exactly
    when the metadata's feature spec says ``standardize``."""
    features = meta.get("features")
    wanted = isinstance(features, dict) and features.get("standardize") is True
    present = names & set(EXTRA_ARRAYS)
    if not wanted:
        if present:
            raise ModelFileError(f"{path}: arrays {sorted(present)} but the metadata does not standardize features")
        return {}
    width = meta["architecture"]["input_size"]
    extra = {}
    for name in EXTRA_ARRAYS:
        if name not in names:
            raise ModelFileError(f"{path}: the metadata standardizes features but {name} is missing")
        a = z[name]
        if a.dtype != np.float32 or a.shape != (width,):
            raise ModelFileError(f"{path}: {name} is {a.dtype} {a.shape}, the model needs float32 ({width},)")
        if not np.isfinite(a).all() or (name == "feature_scale" and not (a > 0).all()):
            raise ModelFileError(f"{path}: {name} holds a non-finite{' or non-positive' if name == 'feature_scale' else ''} value")
        extra[name] = np.ascontiguousarray(a)
    return extra


def _read_metadata(path: Path, raw: np.ndarray) -> dict:
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelFileError(f"{path}: metadata must be a uint8 vector, got {raw.dtype} {raw.shape}")
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: metadata is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{path}: metadata does not describe a {FORMAT} file")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: format version {meta.get('format_version')!r}; this fastscratch reads version {FORMAT_VERSION}"
        )
    arch = meta.get("architecture")
    if not (
        isinstance(arch, dict)
        and isinstance(arch.get("input_size"), int)
        and isinstance(arch.get("hidden_sizes"), list)
        and all(isinstance(h, int) and h > 0 for h in arch["hidden_sizes"])
        and arch.get("dtype") in ("float32", "float64")
    ):
        raise ModelFileError(f"{path}: metadata has no valid architecture: {arch!r}")
    return meta


def _read_layers(path: Path, z, names: set, meta: dict) -> list[dict]:
    arch = meta["architecture"]
    sizes = [arch["input_size"], *arch["hidden_sizes"], 1]
    expected = {f"{k}{i}" for i in range(len(sizes) - 1) for k in "Wb"} | {"metadata"}
    if names != expected:
        problems = []
        if expected - names:
            problems.append(f"missing {sorted(expected - names)}")
        if names - expected:
            problems.append(f"unexpected {sorted(names - expected)}")
        raise ModelFileError(f"{path}: arrays {' and '.join(problems)} for an architecture {sizes}")
    layers = []
    for i, (prev, h) in enumerate(zip(sizes[:-1], sizes[1:])):
        layer = {}
        for key, shape in (("W", (prev, h)), ("b", (1, h))):
            a = z[f"{key}{i}"]
            if a.dtype.name != arch["dtype"]:
                raise ModelFileError(f"{path}: {key}{i} is {a.dtype}, the metadata says {arch['dtype']}")
            if a.shape != shape:
                raise ModelFileError(f"{path}: {key}{i} has shape {a.shape}, the architecture needs {shape}")
            if not np.isfinite(a).all():
                bad = tuple(int(v) for v in np.argwhere(~np.isfinite(a))[0])
                raise ModelFileError(f"{path}: {key}{i} has a non-finite value {a[bad]} at {bad}")
            layer[key] = np.ascontiguousarray(a)
        layers.append(layer)
    return layers


def import_original(path, *, allow_pickle: bool = False) -> list[dict]:
    """The layers (``W``, ``b`` as float64) of the original notebook's ``np.savez`` file.

    That file is a pickle: loading it can run arbitrary code, so this refuses unless
    ``allow_pickle=True``. Shapes and values are checked like a fastscratch file's.
    """
    path = Path(path)
    if not allow_pickle:
        raise ModelFileError(
            f"{path}: the original ScratchNet file format is a pickle, which can run arbitrary code "
            "when loaded; pass allow_pickle=True (CLI: --allow-pickle) only for a file you trust"
        )
    try:
        with np.load(path, allow_pickle=True) as z:
            raw = z["layers"]
    except (KeyError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{path}: not an original ScratchNet weights file ({exc})") from None
    layers = list(raw.tolist()) if isinstance(raw, np.ndarray) else list(raw)
    if not layers or not all(isinstance(l, dict) and "W" in l and "b" in l for l in layers):
        raise ModelFileError(f"{path}: 'layers' is not a list of dicts with W and b")
    out, prev = [], None
    for i, layer in enumerate(layers):
        W = np.asarray(layer["W"], dtype=np.float64)
        b = np.asarray(layer["b"], dtype=np.float64).reshape(1, -1)
        if W.ndim != 2 or b.shape[1] != W.shape[1] or (prev is not None and W.shape[0] != prev):
            raise ModelFileError(f"{path}: layer {i} has W {W.shape} and b {b.shape}, which do not chain")
        if not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise ModelFileError(f"{path}: layer {i} has non-finite values")
        out.append({"W": W, "b": b})
        prev = W.shape[1]
    if out[-1]["W"].shape[1] != 1:
        raise ModelFileError(f"{path}: the last layer has {out[-1]['W'].shape[1]} outputs, ScratchNet has 1")
    return out
