#!/usr/bin/env python3
"""Writes the small Keras-format weights files the Keras4J tests load (H5WeightsFileTest).

Each file has the layout Python Keras writes (keras/src/saving/saving_lib.py, as real files show), with numbers chosen
here, so that the tests can check every loaded value:

  mlp_keras310.weights.h5   Keras 3.10 style: a `name` attribute on every `vars` group; Sequential
                            Input(3) -> Dense(4, relu) -> Dense(2); Adam state (int64 iterations 5, learning rate
                            0.01, m and v interleaved per variable); a `metrics/mean` group (to be ignored).
  mlp_keras310.keras        the same weights in a .keras zip with a Keras 3.10 config.json (compiled: Adam, mse).
  lstm_keras34.weights.h5   Keras 3.4 style: no `name` attributes, empty `vars` groups for layers storing nothing;
                            Input(3, 2) -> LSTM(2) (weights in `layers/lstm/cell/vars`) -> Dropout -> Dense(1);
                            SGD momentum state (iterations 3, learning rate 0.1, one momentum per variable).
  keras215_backslash.weights.h5
                            the .keras weights entry of Keras 2.15 on Windows: group names with backslashes
                            (`layers\\dense`), `metrics\\...` groups, an optimizer without learning rate;
                            Input(3) -> Dense(2) -> Dense(1).
  float64.weights.h5        mlp_keras310's layout with a float64 kernel (refused).

mlp_keras310 and keras215_backslash are in h5py's default (oldest) HDF5 format, as Keras writes them; the others in
the HDF5 1.8 format (libver="latest"), which keeps them small.

Every array is values(shape, seed): ((7 * k + seed) % 13 - 6) / 20 for k = 0, 1, ... in row-major order, float32
(absolute values for Adam's v). Run with h5py and numpy:

  python3 reference/keras-h5/make_fixtures.py keras-like-api/src/test/resources/io/github/keras4j/models/keras_h5
"""
import json
import os
import sys
import zipfile

import h5py
import numpy as np


def values(shape, seed, dtype=np.float32):
    n = int(np.prod(shape)) if shape else 1
    k = np.arange(n)
    return (((7 * k + seed) % 13 - 6) / 20).reshape(shape).astype(dtype)


def vars_group(f, path, name=None):
    g = f.create_group(path + "/vars" if path else "vars")
    if name is not None:
        g.attrs["name"] = name
    return g


def put(group, arrays):
    for i, a in enumerate(arrays):
        group[str(i)] = a


def mlp(path, names, kernel_dtype=np.float32, libver="earliest"):
    with h5py.File(path, "w", libver=libver) as f:
        vars_group(f, "", "sequential_3" if names else None)
        put(vars_group(f, "layers/dense", "dense_4" if names else None),
            [values((3, 4), 1, kernel_dtype), values((4,), 2)])
        put(vars_group(f, "layers/dense_1", "dense_5" if names else None), [values((4, 2), 3), values((2,), 4)])
        opt = vars_group(f, "optimizer", "adam" if names else None)
        slots = []
        for seed, shape in ((10, (3, 4)), (12, (4,)), (14, (4, 2)), (16, (2,))):
            slots += [values(shape, seed), np.abs(values(shape, seed + 1))]
        put(opt, [np.int64(5), np.float32(0.01)] + slots)
        put(vars_group(f, "metrics/mean", "mean" if names else None), [np.float32(2.5), np.float32(4.0)])


def lstm(path):
    # The HDF5 1.8 format (h5py's libver="latest"), which also keeps the file small.
    with h5py.File(path, "w", libver="latest") as f:
        vars_group(f, "")
        vars_group(f, "layers/lstm")
        put(vars_group(f, "layers/lstm/cell"), [values((2, 8), 5), values((2, 8), 6), values((8,), 7)])
        vars_group(f, "layers/dropout")
        put(vars_group(f, "layers/dense"), [values((2, 1), 8), values((1,), 9)])
        shapes = [(2, 8), (2, 8), (8,), (2, 1), (1,)]
        put(vars_group(f, "optimizer"),
            [np.int64(3), np.float32(0.1)] + [values(s, 20 + i) for i, s in enumerate(shapes)])


def keras215(path):
    with h5py.File(path, "w") as f:
        f.create_group("vars")
        put(f.create_group("layers\\dense").create_group("vars"), [values((3, 2), 30), values((2,), 31)])
        put(f.create_group("layers\\dense_1").create_group("vars"), [values((2, 1), 32), values((1,), 33)])
        put(f.create_group("metrics\\mean").create_group("vars"), [np.float32(1.0), np.float32(2.0)])
        slots = []
        for seed, shape in ((40, (3, 2)), (42, (2,)), (44, (2, 1)), (46, (1,))):
            slots += [values(shape, seed), np.abs(values(shape, seed + 1))]
        put(f.create_group("optimizer").create_group("vars"), [np.int64(9)] + slots)


def dense_config(name, units, activation, input_dim):
    return {
        "module": "keras.layers", "class_name": "Dense", "registered_name": None,
        "config": {
            "name": name, "trainable": True,
            "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                      "registered_name": None},
            "units": units, "activation": activation, "use_bias": True,
            "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                   "config": {"seed": None}, "registered_name": None},
            "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                 "registered_name": None},
            "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
        },
        "build_config": {"input_shape": [None, input_dim]},
    }


def mlp_keras(path, weights):
    config = {
        "module": "keras", "class_name": "Sequential", "registered_name": None,
        "config": {
            "name": "sequential_3", "trainable": True,
            "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                      "registered_name": None},
            "layers": [
                {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                 "config": {"batch_shape": [None, 3], "dtype": "float32", "sparse": False, "ragged": False,
                            "name": "input_layer_3"}},
                dense_config("dense_4", 4, "relu", 3),
                dense_config("dense_5", 2, "linear", 4),
            ],
            "build_input_shape": [None, 3],
        },
        "build_config": {"input_shape": [None, 3]},
        "compile_config": {
            "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "registered_name": None,
                          "config": {"name": "adam", "learning_rate": 0.009999999776482582, "weight_decay": None,
                                     "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False,
                                     "ema_momentum": 0.99, "ema_overwrite_frequency": None,
                                     "loss_scale_factor": None, "gradient_accumulation_steps": None,
                                     "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}},
            "loss": "mean_squared_error", "loss_weights": None, "metrics": None, "weighted_metrics": None,
            "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False,
        },
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.10.0", "date_saved": "2025-01-01@00:00:00"}))
        z.writestr("config.json", json.dumps(config))
        with open(weights, "rb") as w:
            z.writestr("model.weights.h5", w.read())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    mlp(os.path.join(out, "mlp_keras310.weights.h5"), names=True)
    mlp_keras(os.path.join(out, "mlp_keras310.keras"), os.path.join(out, "mlp_keras310.weights.h5"))
    lstm(os.path.join(out, "lstm_keras34.weights.h5"))
    keras215(os.path.join(out, "keras215_backslash.weights.h5"))
    mlp(os.path.join(out, "float64.weights.h5"), names=False, kernel_dtype=np.float64, libver="latest")


if __name__ == "__main__":
    main()
