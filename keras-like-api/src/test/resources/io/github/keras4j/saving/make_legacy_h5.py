"""Writes the two small legacy HDF5 fixtures of LegacyH5Test with h5py, in the layouts Keras writes.

Run with a Python that has h5py and numpy:  python3 make_legacy_h5.py
The values are synthetic (no Keras model is involved): value i of a weight of n values is
    (i + 1) * scale + offset,   scale = 0.01 * (k + 1), offset = 0.1 * k   for the k-th weight of the file,
so LegacyH5Test recomputes them without reading the file.

legacy_keras2.h5: the root layout of Keras 2's model.save_weights("x.h5") (fixed-length byte-string attributes,
    weight names ending in ":0"), for Input(3) -> Dense(4) -> BatchNormalization -> Dense(2).
legacy_model.h5: the layout of Keras 3's model.save("x.h5") (variable-length string attributes, the model_config
    and training_config JSON attributes in Keras 3's legacy form, nested weight paths such as lstm/lstm_cell/kernel,
    layer_names split into layer_names0 and layer_names1, an empty top_level_model_weights group whose weight_names
    is an empty float64 array, optimizer_weights), for Input(5, 2) -> LSTM(3) -> Dense(1, sigmoid) compiled with
    Adam(learning_rate=0.01) and binary_crossentropy.
"""
import json

import h5py
import numpy as np

DTYPE = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def initializer(name, config=None):
    return {"module": "keras.initializers", "class_name": name, "config": config or {}, "registered_name": None}


MODEL_CONFIG = {"class_name": "Sequential", "config": {
    "name": "fixture", "trainable": True, "dtype": DTYPE, "build_input_shape": [None, 5, 2],
    "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 5, 2], "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "input_layer"}},
        {"class_name": "LSTM", "config": {
            "name": "lstm", "trainable": True, "dtype": DTYPE, "return_sequences": False, "return_state": False,
            "go_backwards": False, "stateful": False, "unroll": False, "zero_output_for_mask": False, "units": 3,
            "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
            "kernel_initializer": initializer("GlorotUniform", {"seed": None}),
            "recurrent_initializer": initializer("Orthogonal", {"seed": None, "gain": 1.0}),
            "bias_initializer": initializer("Zeros"), "unit_forget_bias": True, "kernel_regularizer": None,
            "recurrent_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "recurrent_constraint": None, "bias_constraint": None, "dropout": 0.0,
            "recurrent_dropout": 0.0, "seed": None}},
        {"class_name": "Dense", "config": {
            "name": "dense", "trainable": True, "dtype": DTYPE, "units": 1, "activation": "sigmoid", "use_bias": True,
            "kernel_initializer": initializer("GlorotUniform", {"seed": None}),
            "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}}]}}

TRAINING_CONFIG = {"loss": "binary_crossentropy", "loss_weights": None, "metrics": ["accuracy"],
                   "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False,
                   "optimizer_config": {"class_name": "Adam", "config": {
                       "name": "adam", "learning_rate": 0.01, "weight_decay": None, "clipnorm": None,
                       "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                       "ema_overwrite_frequency": None, "loss_scale_factor": None,
                       "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
                       "amsgrad": False}}}

counter = [0]


def values(shape):
    k = counter[0]
    counter[0] += 1
    n = int(np.prod(shape)) if shape else 1
    v = (np.arange(n, dtype=np.float64) + 1) * 0.01 * (k + 1) + 0.1 * k
    return v.astype(np.float32).reshape(shape)


def layer(group, name, weights, as_bytes):
    g = group.create_group(name)
    names = [w for w, _ in weights]
    g.attrs["weight_names"] = np.array([n.encode("utf8") for n in names]) if as_bytes else np.array(names, dtype=object)
    for w, shape in weights:
        d = g.create_dataset(w, shape, dtype="float32")
        d[...] = values(shape)


counter[0] = 0
with h5py.File("legacy_keras2.h5", "w") as f:
    f.attrs["layer_names"] = np.array([b"input_1", b"dense_1", b"batch_normalization_1", b"dense_2"])
    f.attrs["backend"] = np.bytes_(b"tensorflow")
    f.attrs["keras_version"] = np.bytes_(b"2.2.4")
    layer(f, "batch_normalization_1", [("batch_normalization_1/gamma:0", (4,)), ("batch_normalization_1/beta:0", (4,)),
          ("batch_normalization_1/moving_mean:0", (4,)), ("batch_normalization_1/moving_variance:0", (4,))], True)
    layer(f, "dense_1", [("dense_1/kernel:0", (3, 4)), ("dense_1/bias:0", (4,))], True)
    layer(f, "dense_2", [("dense_2/kernel:0", (4, 2)), ("dense_2/bias:0", (2,))], True)
    f.create_group("input_1").attrs["weight_names"] = np.array([], dtype="S1")

counter[0] = 0
with h5py.File("legacy_model.h5", "w") as f:
    f.attrs["backend"] = "tensorflow"
    f.attrs["keras_version"] = "3.10.0"
    f.attrs["model_config"] = json.dumps(MODEL_CONFIG)
    f.attrs["training_config"] = json.dumps(TRAINING_CONFIG)
    g = f.create_group("model_weights")
    g.attrs["layer_names0"] = np.array(["input_layer", "lstm"], dtype=object)
    g.attrs["layer_names1"] = np.array(["dense"], dtype=object)
    g.create_group("input_layer").attrs["weight_names"] = np.array([])
    layer(g, "lstm", [("lstm/lstm_cell/kernel", (2, 12)), ("lstm/lstm_cell/recurrent_kernel", (3, 12)),
          ("lstm/lstm_cell/bias", (12,))], False)
    layer(g, "dense", [("dense/kernel", (3, 1)), ("dense/bias", (1,))], False)
    g.create_group("top_level_model_weights").attrs["weight_names"] = np.array([])
    o = f.create_group("optimizer_weights")
    o.attrs["weight_names"] = np.array(["adam/iteration"], dtype=object)
    o.create_dataset("adam/iteration", data=np.int64(7))
