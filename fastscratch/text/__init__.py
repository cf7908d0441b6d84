"""Words and document features: the word-vector store, the GloVe reader, the featurizer's front
end and the token-shape rule.

- ``vectors``: ``Vectors``, the store and ``embed`` (the notebook's averaged vectors, and shapes);
- ``glove_io``: the streaming GloVe text reader;
- ``shapes``: what an out-of-vocabulary token looks like (``token_shape``).
"""
