package io.github.keras4j.optimizers;

import java.util.Arrays;

/**
 * Keras 3's update rules written out in plain Java doubles, independently of the graph code, to check the
 * optimizers against: each method cites the Keras source it follows ({@code keras/src/optimizers/*.py}). Every
 * method takes the learning rate of each step ({@code lr[k]} for step {@code k}, so schedules can be checked), an
 * weight decay (0: none; else Keras's base-class {@code _apply_weight_decay},
 * {@code w = w - w * weightDecay * lr}, before the update), the initial values and the gradients of each step, and
 * returns the values after each step.
 */
final class KerasReference {

  private KerasReference() {}

  /** Initial values of the one variable of the formula tests. */
  static final float[] INITIAL = {0.5f, -0.25f, 1.5f, -1f};

  /** Its gradients at steps 1, 2, 3: of both signs, changing from step to step. */
  static final float[][] GRADIENTS = {{0.5f, -1.5f, 2f, 0.1f}, {-0.3f, -1f, 2.5f, 0.4f}, {0.8f, 0.2f, -1f, 0.3f}};

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** keras/src/optimizers/base_optimizer.py _apply_weight_decay. */
  private static void decay(double[] w, double weightDecay, double lr) {
    if (weightDecay != 0) {
      for (int j = 0; j < w.length; j++) {
        w[j] -= w[j] * weightDecay * lr;
      }
    }
  }

  /** keras/src/optimizers/sgd.py, momentum 0: {@code w = w - lr * g}. */
  static double[][] sgd(double[] lr, double weightDecay, float[] initial, float[][] grads) {
    double[] w = toDouble(initial);
    double[][] out = new double[grads.length][];
    for (int k = 0; k < grads.length; k++) {
      decay(w, weightDecay, lr[k]);
      for (int j = 0; j < w.length; j++) {
        w[j] -= lr[k] * grads[k][j];
      }
      out[k] = w.clone();
    }
    return out;
  }

  /**
   * keras/src/optimizers/adam.py update_step (AdamW, keras/src/optimizers/adamw.py, is this with weight decay):
   * {@code alpha = lr * sqrt(1 - b2^t) / (1 - b1^t); m += (g - m) * (1 - b1); v += (g^2 - v) * (1 - b2);}
   * amsgrad: {@code v_hat = max(v_hat, v)} used for {@code v}; {@code w -= m * alpha / (sqrt(v) + eps)}.
   */
  static double[][] adam(double[] lr, double weightDecay, double b1, double b2, double eps, boolean amsgrad,
      float[] initial, float[][] grads) {
    double[] w = toDouble(initial);
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    double[] vHat = new double[w.length];
    double[][] out = new double[grads.length][];
    for (int k = 0; k < grads.length; k++) {
      int t = k + 1;
      decay(w, weightDecay, lr[k]);
      double alpha = lr[k] * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      for (int j = 0; j < w.length; j++) {
        double g = grads[k][j];
        m[j] += (g - m[j]) * (1 - b1);
        v[j] += (g * g - v[j]) * (1 - b2);
        vHat[j] = Math.max(vHat[j], v[j]);
        w[j] -= m[j] * alpha / (Math.sqrt(amsgrad ? vHat[j] : v[j]) + eps);
      }
      out[k] = w.clone();
    }
    return out;
  }

  /**
   * keras/src/optimizers/nadam.py: {@code _backend_update_step} multiplies {@code u_product} by
   * {@code u_t = b1 * (1 - 0.5 * 0.96^t)} once per step; {@code update_step} then, with
   * {@code u_t1 = b1 * (1 - 0.5 * 0.96^(t+1))}: {@code m += (g - m) * (1 - b1); v += (g^2 - v) * (1 - b2);
   * m_hat = u_t1 * m / (1 - u_product * u_t1) + (1 - u_t) * g / (1 - u_product); v_hat = v / (1 - b2^t);
   * w -= m_hat * lr / (sqrt(v_hat) + eps)}.
   */
  static double[][] nadam(double[] lr, double weightDecay, double b1, double b2, double eps, float[] initial,
      float[][] grads) {
    double[] w = toDouble(initial);
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    double uProduct = 1;
    double[][] out = new double[grads.length][];
    for (int k = 0; k < grads.length; k++) {
      int t = k + 1;
      decay(w, weightDecay, lr[k]);
      double uT = b1 * (1 - 0.5 * Math.pow(0.96, t));
      double uT1 = b1 * (1 - 0.5 * Math.pow(0.96, t + 1));
      uProduct *= uT;
      double uProductT1 = uProduct * uT1;
      for (int j = 0; j < w.length; j++) {
        double g = grads[k][j];
        m[j] += (g - m[j]) * (1 - b1);
        v[j] += (g * g - v[j]) * (1 - b2);
        double mHat = uT1 * m[j] / (1 - uProductT1) + (1 - uT) * g / (1 - uProduct);
        double vHat = v[j] / (1 - Math.pow(b2, t));
        w[j] -= mHat * lr[k] / (Math.sqrt(vHat) + eps);
      }
      out[k] = w.clone();
    }
    return out;
  }

  /**
   * keras/src/optimizers/adamax.py: {@code m += (g - m) * (1 - b1); u = max(b2 * u, |g|);
   * w -= lr * m / ((1 - b1^t) * (u + eps))}.
   */
  static double[][] adamax(double[] lr, double weightDecay, double b1, double b2, double eps, float[] initial,
      float[][] grads) {
    double[] w = toDouble(initial);
    double[] m = new double[w.length];
    double[] u = new double[w.length];
    double[][] out = new double[grads.length][];
    for (int k = 0; k < grads.length; k++) {
      int t = k + 1;
      decay(w, weightDecay, lr[k]);
      for (int j = 0; j < w.length; j++) {
        double g = grads[k][j];
        m[j] += (g - m[j]) * (1 - b1);
        u[j] = Math.max(b2 * u[j], Math.abs(g));
        w[j] -= lr[k] * m[j] / ((1 - Math.pow(b1, t)) * (u[j] + eps));
      }
      out[k] = w.clone();
    }
    return out;
  }

  /**
   * keras/src/optimizers/adadelta.py, with {@code rms(x) = sqrt(x + eps)}: {@code a = rho * a + (1 - rho) * g^2;
   * delta = -rms(d) * g / rms(a); d = rho * d + (1 - rho) * delta^2; w += lr * delta}.
   */
  static double[][] adadelta(double[] lr, double weightDecay, double rho, double eps, float[] initial,
      float[][] grads) {
    double[] w = toDouble(initial);
    double[] a = new double[w.length];
    double[] d = new double[w.length];
    double[][] out = new double[grads.length][];
    for (int k = 0; k < grads.length; k++) {
      decay(w, weightDecay, lr[k]);
      for (int j = 0; j < w.length; j++) {
        double g = grads[k][j];
        a[j] = rho * a[j] + (1 - rho) * g * g;
        double delta = -Math.sqrt(d[j] + eps) * g / Math.sqrt(a[j] + eps);
        d[j] = rho * d[j] + (1 - rho) * delta * delta;
        w[j] += lr[k] * delta;
      }
      out[k] = w.clone();
    }
    return out;
  }

  /** keras/src/optimizers/lion.py: {@code w -= lr * sign(m * b1 + g * (1 - b1)); m = m * b2 + g * (1 - b2)}. */
  static double[][] lion(double[] lr, double weightDecay, double b1, double b2, float[] initial, float[][] grads) {
    double[] w = toDouble(initial);
    double[] m = new double[w.length];
    double[][] out = new double[grads.length][];
    for (int k = 0; k < grads.length; k++) {
      decay(w, weightDecay, lr[k]);
      for (int j = 0; j < w.length; j++) {
        double g = grads[k][j];
        w[j] -= lr[k] * Math.signum(m[j] * b1 + g * (1 - b1));
        m[j] = m[j] * b2 + g * (1 - b2);
      }
      out[k] = w.clone();
    }
    return out;
  }

  /**
   * keras/src/optimizers/ftrl.py update_step, with {@code p = -lrPower}: {@code l2Reg = l2 + beta / (2 lr);
   * gShrunk = g + 2 * l2s * w; nNew = n + g^2; z += gShrunk - (nNew^p - n^p) / lr * w;
   * quadratic = nNew^p / lr + 2 * l2Reg; w = (clip(z, -l1, l1) - z) / quadratic; n = nNew}; {@code n} starts at
   * {@code initialAccumulator}, {@code z} at 0.
   */
  static double[][] ftrl(double[] lr, double weightDecay, double lrPower, double initialAccumulator, double l1,
      double l2, double l2Shrinkage, double beta, float[] initial, float[][] grads) {
    double[] w = toDouble(initial);
    double[] n = new double[w.length];
    Arrays.fill(n, initialAccumulator);
    double[] z = new double[w.length];
    double p = -lrPower;
    double[][] out = new double[grads.length][];
    for (int k = 0; k < grads.length; k++) {
      decay(w, weightDecay, lr[k]);
      double l2Reg = l2 + beta / (2 * lr[k]);
      for (int j = 0; j < w.length; j++) {
        double g = grads[k][j];
        double gShrunk = g + 2 * l2Shrinkage * w[j];
        double nNew = n[j] + g * g;
        z[j] += gShrunk - (Math.pow(nNew, p) - Math.pow(n[j], p)) / lr[k] * w[j];
        double quadratic = Math.pow(nNew, p) / lr[k] + 2 * l2Reg;
        double clipped = Math.max(-l1, Math.min(l1, z[j]));
        w[j] = (clipped - z[j]) / quadratic;
        n[j] = nNew;
      }
      out[k] = w.clone();
    }
    return out;
  }

  /**
   * keras/src/optimizers/adafactor.py update_step for a variable of {@code shape} (elements row-major), with
   * {@code t = k + 1} and {@code rms(x) = sqrt(mean(x^2))}: {@code rho = min(lr, 1 / sqrt(t));
   * alpha = max(eps2, rms(w)) * rho; g2 = g^2 + eps1; b2 = 1 - t^beta2Decay}; for rank &gt;= 2, seen as
   * {@code [B, R, C]} (B the product of the leading axes): {@code r[b,i] = b2 r[b,i] + (1 - b2) mean_j g2[b,i,j];
   * c[b,j] = b2 c[b,j] + (1 - b2) mean_i g2[b,i,j]; v[b,i,j] = r[b,i] / mean_i' r[b,i'] * c[b,j]}; otherwise
   * {@code v = b2 v + (1 - b2) g2}; then {@code u = g / sqrt(v); uHat = u / max(1, rms(u) / clip);
   * w -= alpha * uHat}.
   */
  static double[][] adafactor(double[] lr, double weightDecay, double beta2Decay, double eps1, double eps2,
      double clipThreshold, long[] shape, float[] initial, float[][] grads) {
    double[] w = toDouble(initial);
    int size = w.length;
    boolean factored = shape.length >= 2;
    int cols = factored ? (int) shape[shape.length - 1] : 1;
    int rows = factored ? (int) shape[shape.length - 2] : 1;
    int batch = factored ? size / (rows * cols) : 1;
    double[] r = new double[batch * rows];
    double[] c = new double[batch * cols];
    double[] v = new double[size];
    double[][] out = new double[grads.length][];
    for (int k = 0; k < grads.length; k++) {
      int t = k + 1;
      decay(w, weightDecay, lr[k]);
      double rho = Math.min(lr[k], 1 / Math.sqrt(t));
      double alpha = Math.max(eps2, rms(w)) * rho;
      double b2 = 1 - Math.pow(t, beta2Decay);
      double[] g2 = new double[size];
      for (int j = 0; j < size; j++) {
        g2[j] = grads[k][j] * (double) grads[k][j] + eps1;
      }
      if (factored) {
        for (int b = 0; b < batch; b++) {
          for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
              sum += g2[(b * rows + i) * cols + j];
            }
            r[b * rows + i] = b2 * r[b * rows + i] + (1 - b2) * sum / cols;
          }
          for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
              sum += g2[(b * rows + i) * cols + j];
            }
            c[b * cols + j] = b2 * c[b * cols + j] + (1 - b2) * sum / rows;
          }
          double rMean = 0;
          for (int i = 0; i < rows; i++) {
            rMean += r[b * rows + i] / rows;
          }
          for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
              v[(b * rows + i) * cols + j] = r[b * rows + i] / rMean * c[b * cols + j];
            }
          }
        }
      } else {
        for (int j = 0; j < size; j++) {
          v[j] = b2 * v[j] + (1 - b2) * g2[j];
        }
      }
      double[] u = new double[size];
      for (int j = 0; j < size; j++) {
        u[j] = grads[k][j] / Math.sqrt(v[j]);
      }
      double scale = Math.max(1, rms(u) / clipThreshold);
      for (int j = 0; j < size; j++) {
        w[j] -= alpha * (u[j] / scale);
      }
      out[k] = w.clone();
    }
    return out;
  }

  private static double rms(double[] x) {
    double sum = 0;
    for (double e : x) {
      sum += e * e;
    }
    return Math.sqrt(sum / x.length);
  }

  /** The same learning rate for {@code steps} steps. */
  static double[] constant(double lr, int steps) {
    double[] out = new double[steps];
    Arrays.fill(out, lr);
    return out;
  }

  /** Keras's {@code ExponentialDecay(initial, 1, rate)} at steps 0, 1, ...: {@code initial * rate^k}. */
  static double[] exponential(double initial, double rate, int steps) {
    double[] out = new double[steps];
    for (int k = 0; k < steps; k++) {
      out[k] = initial * Math.pow(rate, k);
    }
    return out;
  }
}
