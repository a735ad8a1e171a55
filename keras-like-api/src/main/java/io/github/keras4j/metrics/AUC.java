package io.github.keras4j.metrics;

import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The area under the ROC (or precision-recall) curve, Keras's {@code keras.metrics.AUC}: the epoch's weighted
 * counts of true and false positives and negatives at {@code numThresholds} thresholds, then a Riemann sum over
 * the curve through them. The thresholds are {@code -1e-7}, {@code i / (numThresholds - 1)} for
 * {@code i = 1 .. numThresholds - 2}, and {@code 1 + 1e-7}; a label is positive when it is not 0, a prediction when
 * it is above the threshold. Predictions are probabilities in [0, 1] (or logits with {@code fromLogits}).
 *
 * <ul>
 *   <li>{@code curve="ROC"}: x = false positive rate {@code fp / (fp + tn)}, y = recall {@code tp / (tp + fn)};
 *   <li>{@code curve="PR"}: x = recall, y = precision; with {@code "interpolation"} Keras's closed form of Davis
 *       and Goadrich (2006), which interpolates the counts rather than the precision.
 * </ul>
 * Summation: {@code "interpolation"} (trapezoids), {@code "minoring"} (the lower of the two ends) or
 * {@code "majoring"} (the higher).
 *
 * <p>Defaults: {@code name="auc"}, {@code numThresholds=200}, {@code curve="ROC"},
 * {@code summationMethod="interpolation"}, {@code fromLogits=false}. Ids in {@link Metrics#get}: {@code auc},
 * {@code AUC}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code ConfusionMetricsTest}):
 *
 * <pre>{@code
 * // numThresholds 3, y_true = [0, 0, 1, 1], y_pred = [0, 0.5, 0.3, 0.9]: thresholds [-1e-7, 0.5, 1 + 1e-7],
 * // tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2], tn = [0, 2, 2]; recall [1, 0.5, 0], fp rate [1, 0, 0]:
 * // auc = (1 + 0.5) / 2 * (1 - 0) + (0.5 + 0) / 2 * (0 - 0) = 0.75; with sample weights [1, 0, 0, 1]: 1.0
 * }</pre>
 *
 * <p>Java differences from Keras: no {@code "PRGAIN"} curve, no explicit {@code thresholds} list and no
 * {@code multi_label}: every element of the output counts as one binary prediction.
 */
public final class AUC extends EpochStateMetric {

  private static final double EPSILON = 1e-7;

  private final int numThresholds;
  private final String curve;
  private final String summationMethod;
  private final boolean fromLogits;
  private final float[] thresholds;
  private final ConfusionCounts.Totals totals;

  /** ROC AUC named {@code auc}, 200 thresholds, trapezoids, probabilities. */
  public AUC() {
    this("auc");
  }

  /** ROC AUC with the given name, 200 thresholds, trapezoids, probabilities. */
  public AUC(String name) {
    this(name, 200, "ROC", "interpolation", false);
  }

  /**
   * An AUC.
   *
   * @param name the name in logs
   * @param numThresholds the number of thresholds, more than 1
   * @param curve {@code "ROC"} or {@code "PR"} (any case)
   * @param summationMethod {@code "interpolation"}, {@code "minoring"} or {@code "majoring"} (any case)
   * @param fromLogits whether predictions are logits (a sigmoid is applied first)
   */
  public AUC(String name, int numThresholds, String curve, String summationMethod, boolean fromLogits) {
    super(name);
    if (numThresholds <= 1) {
      throw new IllegalArgumentException("Argument `num_thresholds` must be an integer > 1. Received: "
          + "num_thresholds=" + numThresholds);
    }
    String c = curve == null ? "" : curve.toUpperCase(Locale.ROOT);
    if (!c.equals("ROC") && !c.equals("PR")) {
      throw new IllegalArgumentException("Invalid AUC curve value: \"" + curve + "\". Expected values are "
          + "[\"PR\", \"ROC\"] (Keras's \"PRGAIN\" is not supported)");
    }
    String s = summationMethod == null ? "" : summationMethod.toLowerCase(Locale.ROOT);
    if (!s.equals("interpolation") && !s.equals("minoring") && !s.equals("majoring")) {
      throw new IllegalArgumentException("Invalid AUC summation method value: \"" + summationMethod + "\". Expected "
          + "values are [\"interpolation\", \"majoring\", \"minoring\"]");
    }
    this.numThresholds = numThresholds;
    this.curve = c;
    this.summationMethod = s;
    this.fromLogits = fromLogits;
    this.thresholds = new float[numThresholds];
    thresholds[0] = (float) (0.0 - EPSILON);
    for (int i = 1; i < numThresholds - 1; i++) {
      thresholds[i] = (float) (i * 1.0 / (numThresholds - 1));
    }
    thresholds[numThresholds - 1] = (float) (1.0 + EPSILON);
    this.totals = new ConfusionCounts.Totals(numThresholds);
  }

  /** The number of thresholds. */
  public int numThresholds() {
    return numThresholds;
  }

  /** The thresholds, ascending. */
  public float[] thresholds() {
    return thresholds.clone();
  }

  @Override
  public int stateSize() {
    return 4 * numThresholds;
  }

  @Override
  public Operand<TFloat32> batchState(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    Operand<TFloat32> p = fromLogits ? tf.math.sigmoid(yPred) : yPred;
    return ConfusionCounts.counts(tf, name(), yTrue, p, sampleWeight, thresholds, null,
        ConfusionCounts.Totals.KINDS);
  }

  @Override
  public void updateState(float[] packed, int offset) {
    totals.add(packed, offset);
  }

  @Override
  public double result() {
    int t = numThresholds;
    if (curve.equals("PR") && summationMethod.equals("interpolation")) {
      return interpolatedPrAuc();
    }
    double[] x = new double[t];
    double[] y = new double[t];
    for (int i = 0; i < t; i++) {
      double recall = ratio(totals.tp[i], totals.tp[i] + totals.fn[i]);
      if (curve.equals("ROC")) {
        x[i] = ratio(totals.fp[i], totals.fp[i] + totals.tn[i]);
        y[i] = recall;
      } else {
        x[i] = recall;
        y[i] = ratio(totals.tp[i], totals.tp[i] + totals.fp[i]);
      }
    }
    double area = 0;
    for (int i = 0; i < t - 1; i++) {
      double height = switch (summationMethod) {
        case "interpolation" -> (y[i] + y[i + 1]) / 2;
        case "minoring" -> Math.min(y[i], y[i + 1]);
        default -> Math.max(y[i], y[i + 1]);
      };
      area += (x[i] - x[i + 1]) * height;
    }
    return area;
  }

  /** Keras's {@code interpolate_pr_auc}: precision modelled with TP and TP + FP linear between thresholds. */
  private double interpolatedPrAuc() {
    double area = 0;
    for (int i = 0; i < numThresholds - 1; i++) {
      double dtp = totals.tp[i] - totals.tp[i + 1];
      double pA = totals.tp[i] + totals.fp[i];
      double pB = totals.tp[i + 1] + totals.fp[i + 1];
      double slope = ratio(dtp, Math.max(pA - pB, 0));
      double intercept = totals.tp[i + 1] - slope * pB;
      double pRatio = pA > 0 && pB > 0 ? ratio(pA, Math.max(pB, 0)) : 1;
      area += ratio(slope * (dtp + intercept * Math.log(pRatio)),
          Math.max(totals.tp[i + 1] + totals.fn[i + 1], 0));
    }
    return area;
  }

  /** Keras's {@code divide_no_nan}: 0 where the denominator is 0. */
  private static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  @Override
  public void resetState() {
    totals.reset();
  }

  @Override
  public AUC withName(String newName) {
    return new AUC(newName, numThresholds, curve, summationMethod, fromLogits);
  }

  /** {@code name}, {@code num_thresholds}, {@code curve}, {@code summation_method}, {@code from_logits}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.put("num_thresholds", numThresholds);
    config.put("curve", curve);
    config.put("summation_method", summationMethod);
    config.put("multi_label", false);
    config.put("from_logits", fromLogits);
    return config;
  }
}
