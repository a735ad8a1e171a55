package io.github.keras4j.metrics;

import io.github.keras4j.losses.LossUtils;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Calculates how often predictions equal labels, Keras's {@code keras.metrics.Accuracy}: per element
 * {@code y_true == y_pred} (after Keras's {@code squeeze_or_expand_to_same_rank}), averaged over every axis after the
 * batch axis; the epoch's result is the weighted mean over samples. Predictions are compared as they are, so they
 * must already be classes (a model that outputs class indices, or rounded values); for probabilities use
 * {@link BinaryAccuracy}, {@link CategoricalAccuracy} or {@link SparseCategoricalAccuracy}.
 *
 * <p>Defaults: {@code name="accuracy"}. The string ids {@code "accuracy"} and {@code "acc"} given to {@code compile}
 * do not mean this class: as in Keras 3 they pick binary, sparse categorical or categorical accuracy from the shapes
 * (see {@link Metrics#get(String, org.tensorflow.ndarray.Shape, org.tensorflow.ndarray.Shape)}); pass
 * {@code new Accuracy()} for plain equality.
 *
 * <p>Example (Keras 3's docstring, checked in {@code ReductionMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [[1], [2], [3], [4]], y_pred = [[0], [2], [3], [4]]: 0.75; with sample weights [1, 1, 0, 0]: 0.5
 * }</pre>
 */
public final class Accuracy extends Metric {

  /** An accuracy named {@code accuracy}. */
  public Accuracy() {
    this("accuracy");
  }

  /** An accuracy with the given name. */
  public Accuracy(String name) {
    super(name);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    LossUtils.SameRank same = LossUtils.squeezeOrExpandToSameRank(tf, tf.stopGradient(yTrue), tf.stopGradient(yPred));
    return MetricUtils.samplewiseMean(tf, MetricUtils.matches(tf, same.x1(), same.x2()));
  }

  @Override
  public Accuracy withName(String newName) {
    return new Accuracy(newName);
  }
}
