import os, sys, json
os.environ.setdefault("KERAS_BACKEND", "tensorflow"); os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras
from keras import layers
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
keras.utils.set_random_seed(7)
rng = np.random.default_rng(0)

def mlp():
    m = keras.Sequential([keras.Input((12,)), layers.Dense(16, activation="relu"), layers.BatchNormalization(),
                          layers.Dropout(0.2), layers.Dense(3, activation="softmax")])
    return m, rng.normal(size=(64, 12)).astype("float32"), rng.integers(0, 3, 64), "sparse_categorical_crossentropy"

def cnn():
    i = keras.Input((12, 12, 2)); x = layers.Conv2D(4, 3, padding="same", activation="relu")(i)
    s = layers.Conv2D(4, 1)(i); x = layers.Add()([x, s]); x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(6, 3, activation="relu")(x); x = layers.BatchNormalization()(x)
    x = layers.GlobalAveragePooling2D()(x); o = layers.Dense(2)(x)
    return keras.Model(i, o), rng.normal(size=(32, 12, 12, 2)).astype("float32"), rng.normal(size=(32, 2)).astype("float32"), "mse"

def rnn():
    m = keras.Sequential([keras.Input((10, 3)), layers.LSTM(8, return_sequences=True),
                          layers.Bidirectional(layers.GRU(5)), layers.Dense(1)])
    return m, rng.normal(size=(32, 10, 3)).astype("float32"), rng.normal(size=(32, 1)).astype("float32"), "mse"

def attn():
    i = keras.Input((6, 8)); a = layers.MultiHeadAttention(2, 4)(i, i); x = layers.Add()([i, a])
    x = layers.LayerNormalization()(x); x = layers.TimeDistributed(layers.Dense(4))(x)
    x = layers.GlobalAveragePooling1D()(x); o = layers.Dense(1)(x)
    return keras.Model(i, o), rng.normal(size=(32, 6, 8)).astype("float32"), rng.normal(size=(32, 1)).astype("float32"), "mse"

def emb():
    m = keras.Sequential([keras.Input((7,)), layers.Embedding(20, 4), layers.SimpleRNN(6), layers.Dense(2, activation="sigmoid")])
    return m, rng.integers(0, 20, size=(32, 7)).astype("float32"), rng.integers(0, 2, size=(32, 2)).astype("float32"), "binary_crossentropy"

for name, f in [("mlp", mlp), ("cnn", cnn), ("rnn", rnn), ("attn", attn), ("emb", emb)]:
    m, x, y, loss = f()
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss)
    m.fit(x, y, epochs=2, batch_size=16, verbose=0)
    m.save(f"{out}/{name}.keras"); m.save_weights(f"{out}/{name}.weights.h5")
    p = m.predict(x, verbose=0)
    x.tofile(f"{out}/{name}.x.bin"); p.astype("float32").tofile(f"{out}/{name}.y.bin")
    json.dump({"x": list(x.shape), "y": list(p.shape), "iterations": int(m.optimizer.iterations.numpy())}, open(f"{out}/{name}.json", "w"))
    print(name, x.shape, p.shape, "iterations", int(m.optimizer.iterations.numpy()))
