"""The course's ozone LSTM (05_RNN_intro.ipynb, part 1) in Python Keras 3 itself, over several seeds.

Not part of the build: an independent run of `rnn-ozone` by the reference implementation, to measure how often
Keras's own algorithm reaches the course's single figure (test MSE 5.0974e-4) on the same data and setup.
The cells are the notebook's: every 50-day window of all 4 columns of PNoz.dat predicts the ozone level two days
after the window; LSTM(64)-Dense(1), Adam(0.001), loss mse, 5 epochs, validation_split=0.05, batch 32; the first
90 % of the 2,804 windows train, the rest test. `keras.utils.set_random_seed(seed)` seeds Python, NumPy and the
backend (initializers and fit's shuffle), so each seed is reproducible.

    python ozone.py --data DIR --seeds 1-30,42,1234        # DIR/ozone_pnoz/PNoz.dat
"""
import argparse
import os
import statistics
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402


def seeds(text):
    out = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def windows(path, time_steps=50):
    pnoz = np.loadtxt(path)
    x, y = pnoz[:, :], pnoz[:, 2:3]
    xs = [x[k:k + time_steps, :] for k in range(x.shape[0] - time_steps - 1)]
    ys = [y[k + time_steps + 1:k + time_steps + 2, :] for k in range(x.shape[0] - time_steps - 1)]
    return np.stack(xs), np.concatenate(ys)


def run(seed, x_final, y_final, epochs):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.layers.LSTM(64), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    tr = int(np.ceil(x_final.shape[0] * 0.9))
    hist = model.fit(x_final[:tr], y_final[:tr], epochs=epochs, validation_split=0.05, verbose=0)
    test = model.evaluate(x_final[tr:], y_final[tr:], verbose=0)
    return hist.history["loss"][-1], test


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--seeds", default="1-30,42,1234")
    p.add_argument("--epochs", type=int, default=5)
    a = p.parse_args()
    x_final, y_final = windows(os.path.join(a.data, "ozone_pnoz", "PNoz.dat"))
    tr = int(np.ceil(x_final.shape[0] * 0.9))
    persistence = float(np.mean((x_final[tr:, -1, 2:3] - y_final[tr:]) ** 2))
    print(f"keras {keras.__version__} backend {keras.backend.backend()}; {x_final.shape[0]} windows, "
          f"{tr} train, persistence test mse {persistence:.4e}", flush=True)
    tests = []
    for s in seeds(a.seeds):
        loss, test = run(s, x_final, y_final, a.epochs)
        tests.append(test)
        print(f"seed {s} last_loss {loss:.4e} test_mse {test:.4e}", flush=True)
    at_or_below = sum(t <= 5.0974e-4 for t in tests)
    print(f"test mse over {len(tests)} seeds: min {min(tests):.2e} max {max(tests):.2e} "
          f"mean {statistics.mean(tests):.2e} median {statistics.median(tests):.2e}; "
          f"{at_or_below} at or below the course's 5.0974e-04")
    return 0


if __name__ == "__main__":
    sys.exit(main())
