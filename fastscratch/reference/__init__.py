"""The originals, in pure NumPy: the oracles every kernel is tested against and the baselines
every benchmark races. Written from ``shared/reference.md`` and kept deliberately naive: they
reproduce the originals' arithmetic, RNG use and loops. Never optimise or "fix" them to make a
test pass: fix the kernel.

- ``scratchnet``: the ScratchNet model, its loss and the notebook's training loop;
- ``glove``: the notebook's GloVe reader and averaged document vector;
- ``simple_nn`` (``Network``) and ``mnist_loader``: the sigmoid-network post's code;
- ``simple_rnn``: the sine-wave RNN post's code and its data set-up.
"""

from fastscratch.reference import mnist_loader, simple_nn, simple_rnn
from fastscratch.reference.glove import embed_corpus, load_glove, text_to_embedding
from fastscratch.reference.scratchnet import ScratchNet, sigmoid, stable_bce_loss, train_notebook
from fastscratch.reference.simple_nn import Network

__all__ = ["ScratchNet", "sigmoid", "stable_bce_loss", "train_notebook", "load_glove", "text_to_embedding",
           "embed_corpus", "Network", "simple_nn", "simple_rnn", "mnist_loader"]
