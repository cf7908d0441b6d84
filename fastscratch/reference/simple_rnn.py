"""The sine-wave RNN of the "Build a Recurrent Neural Network from Scratch in Python 3" post
(``simple_rnn.py`` and the data set-up of ``test_simple_rnn.py``), pure NumPy: the oracle for
:mod:`fastscratch.nets.simple_rnn`'s ``mode="post"``.

The post's code is Python 3. One line needs a change to run on current NumPy:
``calculate_loss`` converts the (1, 1) array ``(y - mulv)**2/2`` with ``float()``, which NumPy
2.4 no longer allows for arrays with dimensions (deprecated since 1.25); it reads
``float(((y - mulv)**2/2).item())``: the same value. The functions read the module's constants
at call time, as the post's do.

The model: ``h_t = sigmoid(U[:, t] * x_t + W @ h_{t-1})`` for ``t < seq_len`` (the input of
step ``t`` is the sequence with every value but ``x_t`` zeroed, so ``U`` (hidden, seq_len)
holds one input column per step), ``h_{-1} = 0``, prediction ``V @ h_{seq_len - 1}``, loss
``(y - prediction)**2 / 2`` per sequence. ``backprop`` is not the gradient of that loss: its
``dU``/``dW`` are sums of ``U[:, t] * x_t`` and ``W @ h_{t-1}`` (the forward's own terms),
broadcast over every column and accumulated across steps; ``dprev_activation`` is computed
and never used; ``dV`` sums ``dmulv * h_t`` over all steps; all three are clipped to
[-10, 10] after every step. Kept as the post has it: :mod:`fastscratch.nets.simple_rnn`
reproduces it (``mode="post"``) and offers the correct truncated BPTT beside it.
Do not optimise or "fix" anything here: fast code is tested against this module.
"""

import math

import numpy as np

__all__ = [
    "learning_rate", "seq_len", "max_epochs", "hidden_dim", "output_dim", "bptt_truncate",
    "min_clip_val", "max_clip_val", "sigmoid", "calculate_loss", "calc_layers", "backprop", "train",
    "sine_wave_data", "initial_weights",
]

# create RNN architecture
learning_rate = 0.0001
seq_len = 50
max_epochs = 25
hidden_dim = 100
output_dim = 1
bptt_truncate = 5 # backprop through time --> lasts 5 iterations
min_clip_val = -10
max_clip_val = 10


def sigmoid(x):
    return 1/(1+np.exp(-x))


def calculate_loss(X, Y, U, V, W):
    loss = 0.0
    for i in range(Y.shape[0]):
        x, y = X[i], Y[i]
        prev_activation = np.zeros((hidden_dim, 1)) # value of previous activation
        for timestep in range(seq_len):
            new_input = np.zeros(x.shape) # forward pass, done for each step in the sequence
            new_input[timestep] = x[timestep] # define a single input for that timestep
            mulu = np.dot(U, new_input)
            mulw = np.dot(W, prev_activation)
            _sum = mulu + mulw
            activation = sigmoid(_sum)
            mulv = np.dot(V, activation)
            prev_activation = activation
        # calculate and add loss per record
        loss_per_record = float(((y - mulv)**2/2).item())
        loss += loss_per_record
    # calculate loss after first Y pass
    return loss, activation


# takes x values and the weights matrices
# returns layer dictionary, final weights (mulu, mulw, mulv)
def calc_layers(x, U, V, W, prev_activation):
    layers = []
    for timestep in range(seq_len):
        new_input = np.zeros(x.shape)
        new_input[timestep] = x[timestep]
        mulu = np.dot(U, new_input)
        mulw = np.dot(W, prev_activation)
        _sum = mulw + mulu
        activation = sigmoid(_sum)
        mulv = np.dot(V, activation)
        layers.append({'activation': activation, 'prev_activation': prev_activation})
        prev_activation = activation

    return layers, mulu, mulw, mulv


def backprop(x, U, V, W, dmulv, mulu, mulw, layers):
    dU = np.zeros(U.shape)
    dV = np.zeros(V.shape)
    dW = np.zeros(W.shape)

    dU_t = np.zeros(U.shape)
    dV_t = np.zeros(V.shape)
    dW_t = np.zeros(W.shape)

    dU_i = np.zeros(U.shape)
    dW_i = np.zeros(W.shape)

    _sum = mulu + mulw
    dsv = np.dot(np.transpose(V), dmulv)

    def get_previous_activation_differential(_sum, ds, W):
        d_sum = _sum * (1 - _sum) * ds
        dmulw = d_sum * np.ones_like(ds)
        return np.dot(np.transpose(W), dmulw)

    for timestep in range(seq_len):
        dV_t = np.dot(dmulv, np.transpose(layers[timestep]['activation']))
        ds = dsv
        dprev_activation = get_previous_activation_differential(_sum, ds, W)

        for _ in range(timestep-1, max(-1, timestep-bptt_truncate-1), -1):
            ds = dsv + dprev_activation
            dprev_activation = get_previous_activation_differential(_sum, ds, W)
            dW_i = np.dot(W, layers[timestep]['prev_activation'])

            new_input = np.zeros(x.shape)
            new_input[timestep] = x[timestep]
            dU_i = np.dot(U, new_input)

            dU_t += dU_i
            dW_t += dW_i

        dU += dU_t
        dV += dV_t
        dW += dW_t

        # take care of possible exploding gradients
        if dU.max() > max_clip_val:
            dU[dU > max_clip_val] = max_clip_val
        if dV.max() > max_clip_val:
            dV[dV > max_clip_val] = max_clip_val
        if dW.max() > max_clip_val:
            dW[dW > max_clip_val] = max_clip_val

        if dU.min() < min_clip_val:
            dU[dU < min_clip_val] = min_clip_val
        if dV.min() < min_clip_val:
            dV[dV < min_clip_val] = min_clip_val
        if dW.min() < min_clip_val:
            dW[dW < min_clip_val] = min_clip_val

    return dU, dV, dW


# training
def train(U, V, W, X, Y, X_validation, Y_validation):
    for epoch in range(max_epochs):
        # calculate initial loss, ie what the output is given a random set of weights
        loss, prev_activation = calculate_loss(X, Y, U, V, W)

        # check validation loss
        val_loss, _ = calculate_loss(X_validation, Y_validation, U, V, W)

        print(f'Epoch: {epoch+1}, Loss: {loss}, Validation Loss: {val_loss}')

        # train model/forward pass
        for i in range(Y.shape[0]):
            x, y = X[i], Y[i]
            layers = []
            prev_activation = np.zeros((hidden_dim, 1))

            layers, mulu, mulw, mulv = calc_layers(x, U, V, W, prev_activation)

            # difference of the prediction
            dmulv = mulv - y
            dU, dV, dW = backprop(x, U, V, W, dmulv, mulu, mulw, layers)

            # update weights
            U -= learning_rate * dU
            V -= learning_rate * dV
            W -= learning_rate * dW
    return U, V, W


# ----------------------------------------------------------------------------- test_simple_rnn.py's set-up


def sine_wave_data():
    """The post's data: ``sin(x)`` for x in 0..199, windows of ``seq_len`` and the next value.

    Returns ``X`` (100, 50, 1), ``Y`` (100, 1), ``X_validation`` (50, 50, 1), ``Y_validation``
    (50, 1), float64, exactly as ``test_simple_rnn.py`` builds them.
    """
    sin_wave = np.array([math.sin(x) for x in range(200)])
    # training data
    X = []
    Y = []
    num_records = len(sin_wave) - seq_len # 150

    # X entries are 50 data points
    # Y entries are the 51st data point
    for i in range(num_records-50):
        X.append(sin_wave[i:i+seq_len])
        Y.append(sin_wave[i+seq_len])

    X = np.expand_dims(np.array(X), axis=2) # 100 x 50 x 1
    Y = np.expand_dims(np.array(Y), axis=1) # 100 x 1

    # validation data
    X_validation = []
    Y_validation = []
    for i in range(num_records-seq_len, num_records):
        X_validation.append(sin_wave[i:i+seq_len])
        Y_validation.append(sin_wave[i+seq_len])

    X_validation = np.expand_dims(np.array(X_validation), axis=2)
    Y_validation = np.expand_dims(np.array(Y_validation), axis=1)
    return X, Y, X_validation, Y_validation


def initial_weights(seed=12161):
    """``U`` (100, 50), ``V`` (1, 100), ``W`` (100, 100): the post's seed and draws, in its order."""
    np.random.seed(seed)
    U = np.random.uniform(0, 1, (hidden_dim, seq_len)) # weights from input to hidden layer
    V = np.random.uniform(0, 1, (output_dim, hidden_dim)) # weights from hidden to output layer
    W = np.random.uniform(0, 1, (hidden_dim, hidden_dim)) # recurrent weights for layer (RNN weigts)
    return U, V, W
