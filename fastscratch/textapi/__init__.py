"""The Text API's operations, offline and compiled: the two Text API posts' endpoints as a library.

- :func:`sentences_with_keywords`: the sentences that mention keywords (whole words, any case);
- :func:`text_polarity`: VADER's compound score, equal to vaderSentiment's;
- :func:`most_common_phrases`: the most repeated phrases without stop words (``phrase_counts``: all);
- :func:`summarize`: an extractive summary (word-frequency scoring);
- :func:`ner`: named entities through a spaCy pipeline the user installs;
- :func:`most_common_entities`: the most common name of each entity type.

Each takes one text (a ``str``) or a corpus (a list, an Arrow array or a file: ``textapi.corpus``).
The corpus-level work (polarity, keyword sentences, phrase counts) runs in Numba kernels over the
UTF-8 bytes (``fastscratch.kernels.vader``, ``sentences``, ``phrases``); the rules are stated in each
module. ``fastscratch textapi serve`` serves them over HTTP with The Text API's paths and bodies.
"""

from fastscratch.textapi.entities import most_common_entities, ner
from fastscratch.textapi.phrases import most_common_phrases, phrase_counts
from fastscratch.textapi.polarity import text_polarity
from fastscratch.textapi.sentences import sentences_with_keywords, split_sentences
from fastscratch.textapi.summary import summarize

__all__ = ["sentences_with_keywords", "split_sentences", "text_polarity", "most_common_phrases", "phrase_counts",
           "summarize", "ner", "most_common_entities"]
