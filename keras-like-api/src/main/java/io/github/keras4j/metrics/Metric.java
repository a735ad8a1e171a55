package io.github.keras4j.metrics;

import io.github.keras4j.graph.Shapes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A metric reported during fit and evaluate, as a running weighted mean over an epoch (Keras's
 * {@code MeanMetricWrapper}): {@code result = sum(values * sampleWeight) / sum(sampleWeight)}.
 *
 * <p>{@link #call} computes one value per sample in the graph; each step fetches the batch's weighted total and
 * weight, and {@link #updateState} adds them to the state kept here in Java.
 *
 * <p>Metrics that are not means of per-sample values (Keras's {@link Precision}, {@link Recall}, {@link AUC}: ratios
 * of counts over the epoch) override {@link #stateSize}, {@link #batchState}, {@link #updateState(float[], int)},
 * {@link #result} and {@link #resetState}: the graph computes the batch's counts, Java adds them up.
 */
public abstract class Metric {

  private final String name;
  private double total;
  private double count;

  protected Metric(String name) {
    this.name = name;
  }

  /**
   * A metric from a Java lambda, usable in {@code compile}:
   * {@code Metric.of("max_error", (tf, t, p) -> tf.reduceMax(tf.math.abs(tf.math.sub(p, t)), tf.constant(-1)))}.
   * Each instance keeps its own running state: give a new one per model.
   */
  public static Metric of(String name, MetricFunction fn) {
    java.util.Objects.requireNonNull(fn, "fn");
    return new Metric(name) {
      @Override
      public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
        return fn.call(tf, yTrue, yPred);
      }
    };
  }

  /** The name used in logs and History ({@code accuracy}, {@code mae}, ...). */
  public String name() {
    return name;
  }

  /** Per-sample values, shape {@code (batch,)}. */
  public abstract Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  /**
   * How many numbers one batch adds to the state (engine use): 2 for a mean, its weighted total and its weight.
   */
  public int stateSize() {
    return 2;
  }

  /**
   * One batch's contribution to the state, computed in the graph (engine use): a vector of {@link #stateSize()}
   * numbers that {@link #updateState(float[], int)} adds to the state. For a mean metric,
   * {@code [sum(call(yTrue, yPred) * w), sum(w)]}, the weights broadcast over the values' axes.
   *
   * @param sampleWeight the weight of each sample, shape {@code (batch,)} (the masked time steps of a sequence
   *     output arrive as samples of weight 0)
   */
  public Operand<TFloat32> batchState(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    Operand<TFloat32> values = call(tf, yTrue, yPred);
    Operand<TFloat32> w = MetricUtils.weightsLike(tf, sampleWeight, values);
    return tf.stack(java.util.List.of(tf.reduceSum(tf.math.mul(values, w), Shapes.allAxes(tf, values)),
        tf.reduceSum(w, Shapes.allAxes(tf, w))));
  }

  /**
   * Adds one batch's state as {@link #batchState} computed it, {@code packed[offset]} to
   * {@code packed[offset + stateSize() - 1]} (engine use). For a mean metric, {@code updateState(total, weight)}.
   */
  public void updateState(float[] packed, int offset) {
    updateState(packed[offset], packed[offset + 1]);
  }

  /**
   * A fresh metric computing the same thing under another name: the copy for each output of a model with several
   * outputs ({@code dense_1_precision}). By default a {@link #of function metric} of {@link #call}; metrics with
   * settings or their own state return a new instance of their class.
   */
  public Metric withName(String newName) {
    return of(newName, this::call);
  }

  /**
   * The metric's settings with Keras's names, saved with a compiled model: {@code name}, and what a subclass adds
   * ({@code thresholds}, {@code num_thresholds}, ...).
   */
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name);
    return config;
  }

  /** Adds one batch: {@code weightedTotal = sum(values * w)}, {@code weight = sum(w)}. */
  public void updateState(double weightedTotal, double weight) {
    total += weightedTotal;
    count += weight;
  }

  /** The running mean, 0 before any update (as Keras). */
  public double result() {
    return count == 0 ? 0 : total / count;
  }

  /** Clears the state (start of each epoch and of evaluate). */
  public void resetState() {
    total = 0;
    count = 0;
  }
}
