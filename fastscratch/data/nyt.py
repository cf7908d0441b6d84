"""The New York Times Archive API's monthly files, and the COVID headlines post's headline text.

The Archive API (``https://api.nytimes.com/svc/archive/v1/{year}/{month}.json``) answers one
month of articles as ``{"response": {"meta": {...}, "docs": [article, ...]}}``; each article has
``headline.main`` and ``headline.print_headline`` (often empty or null), ``pub_date``,
``web_url``, ``section_name`` and more. :func:`read_archive` takes that answer as saved to a file,
or the bare list of articles (what the post's download guide saves), and checks what the post
reads. :func:`headline_text` is the post's ``load_headlines`` normalisation of one article.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastscratch.errors import DatasetError

__all__ = ["MONTHS", "read_archive", "headline_text", "load_headlines", "month_file"]

MONTHS = {1: "January", 2: "February", 3: "March", 4: "April", 5: "May", 6: "June", 7: "July", 8: "August",
          9: "September", 10: "October", 11: "November", 12: "December"}
"""The post's ``month_dict``: month number -> the file name of that month."""

_ENDS = ("!", "?", ".")


def month_file(folder, year: int, month: int) -> Path:
    """``folder/{year}/{Month}.json``: where the post keeps each month (``<path to folder>\\2020\\April.json``)."""
    return Path(folder) / str(year) / f"{MONTHS[month]}.json"


def read_archive(path) -> list[dict]:
    """The articles of one Archive API month file.

    Raises
    ------
    DatasetError
        The file is missing or not JSON, is neither ``{"response": {"docs": [...]}}`` nor a list of
        articles, or an article (named by its 0-based index) has no ``headline`` object with a
        string ``main``.
    """
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file", path=path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: not a JSON file ({exc})", path=path) from None
    if isinstance(data, dict):
        docs = (data.get("response") or {}).get("docs") if isinstance(data.get("response"), dict) else None
        if not isinstance(docs, list):
            raise DatasetError(f"{path}: not an Archive API answer: expected {{\"response\": {{\"docs\": [...]}}}}",
                               path=path)
    elif isinstance(data, list):
        docs = data
    else:
        raise DatasetError(f"{path}: expected an Archive API answer or a list of articles, not a JSON "
                           f"{type(data).__name__}", path=path)
    for i, doc in enumerate(docs):
        headline = doc.get("headline") if isinstance(doc, dict) else None
        if not isinstance(headline, dict) or not isinstance(headline.get("main"), str):
            raise DatasetError(f"{path}: article {i} has no headline.main string", path=path, row=i + 1)
        printed = headline.get("print_headline")
        if printed is not None and not isinstance(printed, str):
            raise DatasetError(f"{path}: article {i}: headline.print_headline is {type(printed).__name__}, "
                               "not a string", path=path, row=i + 1)
    return docs


def headline_text(doc: dict) -> str | None:
    """One article's headline as the post's ``load_headlines`` writes it, before lower-casing.

    With a print headline: the main headline without a final ``!``, ``?`` or ``.``, a comma, and
    the print headline ending in one (a ``.`` is added when it has none): ``"Main, Print."``.
    Without one: the main headline ending in ``!``, ``?`` or ``.``. An article with neither is
    None (the post skips it). Unlike the post's code, an empty main headline beside a print
    headline gives the print headline alone instead of an ``IndexError``.
    """
    headline = doc["headline"]
    main = headline["main"]
    printed = headline.get("print_headline")
    if printed:
        second = printed if printed[-1] in _ENDS else printed + "."
        if not main:
            return second
        first = main[:-1] if main[-1] in _ENDS else main
        return first + ", " + second
    if main:
        return main if main[-1] in _ENDS else main + "."
    return None


def load_headlines(path, *, lower: bool = True) -> list[str]:
    """The month's headlines, one per article that has one, as the post sends them (lower case,
    unless ``lower=False``)."""
    out = []
    for doc in read_archive(path):
        text = headline_text(doc)
        if text is not None:
            out.append(text.lower() if lower else text)
    return out
