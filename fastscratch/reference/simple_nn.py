"""The sigmoid network of the "Neural Network Code in Python 3 from Scratch" post (``simple_nn.py``),
pure NumPy: the oracle for :mod:`fastscratch.nets.simple_nn`.

The post adapts Michael Nielsen's ``network.py`` (Python 2) to Python 3 and already uses
``range``, ``print()`` and ``list(zip(...))`` where it needs a list, so no Python-2-ism is left.
One line needs a change to run on current NumPy: ``evaluate`` calls ``int(y[x])`` on a one-hot
label column, where ``y[x]`` is a 1-element array of shape (1,); NumPy 1.25 deprecated and
NumPy 2.4 removed the conversion of such arrays to Python scalars (``TypeError: only
0-dimensional arrays can be converted to Python scalars``), so it reads ``int(y[x].item())``:
the same value.

Everything else is the post's code: per-example ``backprop``, ``update_mini_batch`` summing
the per-example gradients in mini-batch order, ``random.shuffle`` of the training list every
epoch, ``np.random.randn`` initialisation (all biases, then all weights, layer by layer), the
quadratic cost's derivative ``a - y``, and ``evaluate`` by argmax against one-hot labels.
Do not optimise or "fix" anything here: fast code is tested against this module.
"""

import random

import numpy as np

__all__ = ["Network", "sigmoid", "sigmoid_prime"]


# helpers
def sigmoid(z):
    return 1.0/(1.0+np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z)*(1-sigmoid(z))


class Network:
    # sizes is a list of the number of nodes in each layer
    def __init__(self, sizes):
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = [np.random.randn(y, 1) for y in sizes[1:]]
        self.weights = [np.random.randn(y, x) for x,y in zip(sizes[:-1], sizes[1:])]

    def feedforward(self, a):
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(np.dot(w, a) + b)
        return a

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None):
        training_data = list(training_data)
        samples = len(training_data)

        if test_data:
            test_data = list(test_data)
            n_test = len(test_data)

        for j in range(epochs):
            random.shuffle(training_data)
            mini_batches = [training_data[k:k+mini_batch_size]
                            for k in range(0, samples, mini_batch_size)]
            for mini_batch in mini_batches:
                self.update_mini_batch(mini_batch, eta)
            if test_data:
                print(f"Epoch {j}: {self.evaluate(test_data)} / {n_test}")
            else:
                print(f"Epoch {j} complete")

    def cost_derivative(self, output_activations, y):
        return(output_activations - y)

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        # feedforward
        activation = x
        activations = [x] # stores activations layer by layer
        zs = [] # stores z vectors layer by layer
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)

        # backward pass
        delta = self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())

        for _layer in range(2, self.num_layers):
            z = zs[-_layer]
            sp = sigmoid_prime(z)
            delta = np.dot(self.weights[-_layer+1].transpose(), delta) * sp
            nabla_b[-_layer] = delta
            nabla_w[-_layer] = np.dot(delta, activations[-_layer-1].transpose())
        return (nabla_b, nabla_w)

    def update_mini_batch(self, mini_batch, eta):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w-(eta/len(mini_batch))*nw
                        for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b-(eta/len(mini_batch))*nb
                       for b, nb in zip(self.biases, nabla_b)]

    def evaluate(self, test_data):
        test_results = [(np.argmax(self.feedforward(x)), y)
                        for (x, y) in test_data]
        return sum(int(y[x].item()) for (x, y) in test_results)
