"""The post's ``mnist_loader.py``, pure NumPy: the oracle for :mod:`fastscratch.data.mnist`.

As the post has it, with one change: ``load_data`` takes the file's path (default the post's
``'mnist.pkl.gz'`` in the working directory) so tests can point it at a file they make. It
unpickles the file: only for files you trust (:mod:`fastscratch.data.mnist` reads the safe
IDX files and refuses a pickle without ``allow_pickle=True``).

Note that every part's labels are one-hot ``(10, 1)`` columns, test data included: the post's
``evaluate`` indexes them (``y[argmax]``). Nielsen's original loader gave the validation and
test parts integer labels instead; :func:`fastscratch.data.mnist.load_data_wrapper` has that.
"""

import gzip
import pickle

import numpy as np

__all__ = ["load_data", "one_hot_encode", "load_data_together"]


def load_data(path='mnist.pkl.gz'):
    with gzip.open(path, 'rb') as f:
        training_data, validation_data, test_data = pickle.load(f, encoding='latin1')
    return (training_data, validation_data, test_data)


def one_hot_encode(y):
    encoded = np.zeros((10, 1))
    encoded[y] = 1.0
    return encoded


def load_data_together(path='mnist.pkl.gz'):
    train, validate, test = load_data(path)
    train_x = [np.reshape(x, (784, 1)) for x in train[0]]
    train_y = [one_hot_encode(y) for y in train[1]]
    training_data = zip(train_x, train_y)
    validate_x = [np.reshape(x, (784, 1)) for x in validate[0]]
    validate_y = [one_hot_encode(y) for y in validate[1]]
    validation_data = zip(validate_x, validate_y)
    test_x = [np.reshape(x, (784, 1)) for x in test[0]]
    test_y = [one_hot_encode(y) for y in test[1]]
    testing_data = zip(test_x, test_y)
    return (training_data, validation_data, testing_data)
