package io.github.keras4j.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Computes the cosine similarity between {@code y_true} and {@code y_pred} along the last axis, as a metric: 1 for
 * the same direction, -1 for opposite ones (the loss {@link io.github.keras4j.losses.CosineSimilarity} is its
 * negation); the epoch's result is the weighted mean over samples.
 *
 * <p>Defaults: {@code name="cosine_similarity"}. Ids in {@link Metrics#get}: {@code cosine_similarity},
 * {@code CosineSimilarity}.
 *
 * <p>Example (Keras 3's docstring, checked in {@code RegressionAndHingeMetricsTest}):
 *
 * <pre>{@code
 * // y_true = [[0, 1], [1, 1]], y_pred = [[1, 0], [1, 1]]: 0.49999997; with sample weights [0.3, 0.7]: 0.6999999
 * }</pre>
 */
public class CosineSimilarity extends LossMetric {

  /** The metric named {@code cosine_similarity}. */
  public CosineSimilarity() {
    this("cosine_similarity");
  }

  /** The metric with the given name. */
  public CosineSimilarity(String name) {
    super(name, new io.github.keras4j.losses.CosineSimilarity());
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return tf.math.neg(super.call(tf, yTrue, yPred));
  }
}
