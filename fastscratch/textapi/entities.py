"""``ner`` through a spaCy pipeline the user installs, and the Twitter post's ``most_common`` of its answer.

No pipeline ships with fastscratch and none is downloaded: the entities are as good as the model
the user names (``en_core_web_sm``, ``en_core_web_trf``, a custom one) or builds and passes
(``nlp=``). Without spaCy, or without the named model, ``ner`` raises ``MissingExtraError`` saying
how to get one.
"""

from __future__ import annotations

import functools

from fastscratch.errors import MissingExtraError, ParameterError
from fastscratch.extras import install_hint, require_extra
from fastscratch.textapi.corpus import as_corpus

__all__ = ["LABEL_SETS", "DEFAULT_MODEL", "ner", "load_pipeline", "most_common_entities", "build_dict"]

DEFAULT_MODEL = "en_core_web_sm"
"""The spaCy pipeline ``ner`` loads when given none."""

LABEL_SETS: dict[str, tuple[str, ...] | None] = {
    "ARTICLE": ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "DATE", "TIME"),
    "ALL": None,
}
"""The Text API's ``labels`` values, as spaCy (OntoNotes) labels: ``ARTICLE`` is the people,
places, organizations, locations and times the post describes; ``ALL`` keeps every label."""


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):
    """``spacy.load(model)``, once per process; ``MissingExtraError`` without spaCy or the model."""
    spacy = require_extra("spacy", "ner()", "ner")
    try:
        return spacy.load(model)
    except OSError as exc:
        raise MissingExtraError(
            f"ner() needs the spaCy pipeline {model!r}, which is not installed: install a model "
            f"({install_hint('ner')}, then `python -m spacy download {model}` or pip install the model's "
            f"package on a machine with access to it), or pass nlp= a pipeline you built ({exc})",
            name=model, extra="ner") from exc


def _labels(labels) -> frozenset | None:
    if isinstance(labels, str):
        key = labels.upper()
        if key not in LABEL_SETS:
            raise ParameterError(f"labels must be one of {', '.join(LABEL_SETS)} or a list of entity labels, "
                                 f"not {labels!r}")
        chosen = LABEL_SETS[key]
        return None if chosen is None else frozenset(chosen)
    try:
        chosen = list(labels)
    except TypeError:
        raise ParameterError(f"labels must be a string or a list of labels, not {type(labels).__name__}") from None
    if not all(isinstance(x, str) for x in chosen):
        raise ParameterError(f"labels must be strings: {chosen!r}")
    return frozenset(chosen)


def ner(texts, labels="ARTICLE", *, model: str = DEFAULT_MODEL, nlp=None, text_column: str = "text"):
    """Named entities, as The Text API gives them: ``[[label, text], ...]`` in text order.

    Parameters
    ----------
    texts : str or corpus
        One text, or a corpus (list, Arrow array, file): one list per document.
    labels : str or list of str
        ``"ARTICLE"`` (people, nationalities and groups, facilities, organizations, countries and
        cities, locations, dates, times), ``"ALL"``, or the spaCy labels to keep.
    model : str
        The installed spaCy pipeline to load (``spacy.load``), when ``nlp`` is not given.
    nlp : spacy.language.Language, optional
        A pipeline to use instead (one built in code, for example with an ``entity_ruler``).
    """
    keep = _labels(labels)
    corpus, single = as_corpus(texts, text_column=text_column)
    pipeline = nlp if nlp is not None else load_pipeline(model)
    docs = pipeline.pipe(corpus.text(d) for d in range(len(corpus)))
    out = [[[ent.label_, ent.text] for ent in doc.ents if keep is None or ent.label_ in keep] for doc in docs]
    return out[0] if single else out


def build_dict(ners) -> dict[str, dict[str, int]]:
    """The Twitter post's ``build_dict``: ``{type: {name: count}}`` in first-seen order."""
    outer: dict[str, dict[str, int]] = {}
    for entity in ners:
        kind, name = entity[0], entity[1]
        names = outer.setdefault(kind, {})
        names[name] = names.get(name, 0) + 1
    return outer


def most_common_entities(ners) -> dict[str, str]:
    """The Twitter post's ``most_common``: the most frequent name of each entity type.

    ``ners`` is ``ner``'s answer (``[[type, name], ...]``). Among names of equal count the one
    seen first wins (the post sorts the first-seen order with Python's stable ``sorted``).
    """
    counts = build_dict(ners)
    return {kind: sorted(names, key=lambda x: names[x], reverse=True)[0] for kind, names in counts.items()}
