import os, sys, json
os.environ.setdefault("KERAS_BACKEND", "tensorflow"); os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras, warnings
k, j = sys.argv[1], sys.argv[2]
for name in sys.argv[3].split(","):
    meta = json.load(open(f"{k}/{name}.json"))
    x = np.fromfile(f"{k}/{name}.x.bin", dtype="float32").reshape(meta["x"])
    y = np.fromfile(f"{k}/{name}.y.bin", dtype="float32").reshape(meta["y"])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        m = keras.saving.load_model(f"{j}/{name}.keras")
        p = m.predict(x, verbose=0)
        it = int(m.optimizer.iterations.numpy()) if m.optimizer is not None else None
        m2 = keras.saving.load_model(f"{k}/{name}.keras")
        m2.load_weights(f"{j}/{name}.weights.h5")
        p2 = m2.predict(x, verbose=0)
    print(f"{name}: Keras loads Keras4J's .keras: max |pred diff| {np.abs(p - y).max():.3g}, iterations {it}; "
          f"Keras4J's .weights.h5: {np.abs(p2 - y).max():.3g}; warnings: {[str(x.message)[:120] for x in w]}")
