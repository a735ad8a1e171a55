#!/usr/bin/env python3
"""Independent numpy forward passes of two Keras 3 architectures, from the weights of a Keras .weights.h5 file.

Used to check Keras4J's loading of real Keras files (Models.load): the script reads the h5 weights itself (h5py),
runs the model's maths in float64 numpy on the input Keras4J used (x.bin, float32 little-endian) and compares with
Keras4J's predictions (y.bin). It reads no Keras code.

  python3 numpy_forward.py mnist model.weights.h5 x.bin y.bin   # Conv2D-MaxPool-Conv2D-MaxPool-Flatten-Dropout-Dense
  python3 numpy_forward.py lstm  model.weights.h5 x.bin y.bin   # LSTM(seq)-LSTM-Dense-Dense

Prints the max absolute difference.
"""
import sys

import h5py
import numpy as np


def conv2d_valid(x, kernel, bias):
    # x (B, H, W, C), kernel (kh, kw, C, F): Keras's Conv2D, stride 1, padding "valid".
    b, h, w, _ = x.shape
    kh, kw, _, f = kernel.shape
    out = np.zeros((b, h - kh + 1, w - kw + 1, f))
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("bhwc,cf->bhwf", x[:, i:i + h - kh + 1, j:j + w - kw + 1, :], kernel[i, j])
    return out + bias


def max_pool_2x2(x):
    b, h, w, c = x.shape
    h2, w2 = h // 2, w // 2
    return x[:, :h2 * 2, :w2 * 2, :].reshape(b, h2, 2, w2, 2, c).max(axis=(2, 4))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm(x, kernel, recurrent, bias, return_sequences):
    # Keras's gate order: input, forget, cell, output.
    b, t, _ = x.shape
    u = recurrent.shape[0]
    h = np.zeros((b, u))
    c = np.zeros((b, u))
    outputs = []
    for s in range(t):
        z = x[:, s, :] @ kernel + h @ recurrent + bias
        i, f, g, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), np.tanh(z[:, 2 * u:3 * u]), sigmoid(z[:, 3 * u:])
        c = f * c + i * g
        h = o * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1) if return_sequences else h


def main():
    kind, weights, x_file, y_file = sys.argv[1:5]
    f = h5py.File(weights, "r")
    w = lambda path: np.array(f[path], dtype=np.float64)
    x = np.fromfile(x_file, dtype="<f4").astype(np.float64)
    y = np.fromfile(y_file, dtype="<f4").astype(np.float64)
    if kind == "mnist":
        x = x.reshape(-1, 28, 28, 1)
        a = max_pool_2x2(np.maximum(conv2d_valid(x, w("layers/conv2d/vars/0"), w("layers/conv2d/vars/1")), 0))
        a = max_pool_2x2(np.maximum(conv2d_valid(a, w("layers/conv2d_1/vars/0"), w("layers/conv2d_1/vars/1")), 0))
        a = a.reshape(a.shape[0], -1)
        expected = softmax(a @ w("layers/dense/vars/0") + w("layers/dense/vars/1"))
    elif kind == "lstm":
        x = x.reshape(-1, 100, 1)
        a = lstm(x, w("layers/lstm/cell/vars/0"), w("layers/lstm/cell/vars/1"), w("layers/lstm/cell/vars/2"), True)
        a = lstm(a, w("layers/lstm_1/cell/vars/0"), w("layers/lstm_1/cell/vars/1"), w("layers/lstm_1/cell/vars/2"),
                 False)
        a = a @ w("layers/dense/vars/0") + w("layers/dense/vars/1")
        expected = a @ w("layers/dense_1/vars/0") + w("layers/dense_1/vars/1")
    else:
        raise SystemExit("kind must be mnist or lstm")
    expected = expected.reshape(-1)
    print(f"{kind}: {y.size} outputs, max |keras4j - numpy| = {np.abs(y - expected).max():.3g}, "
          f"max |numpy| = {np.abs(expected).max():.3g}")


if __name__ == "__main__":
    main()
