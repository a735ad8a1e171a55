package io.github.keras4j.models;

import io.github.keras4j.distribution.Distribution;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.losses.Losses;
import io.github.keras4j.metrics.Metric;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@code compile}: optimizer, loss (one, or one per output), lossWeights and metrics, each
 * given as an object or by Keras's string id.
 *
 * <pre>{@code
 * model.compile(new CompileOptions().optimizer(new Adam(0.01)).loss("mse").metrics("mae"));
 * }</pre>
 */
public final class CompileOptions {

  Optimizer optimizer;
  final List<Loss> losses = new ArrayList<>();
  List<Double> lossWeights;
  final List<Object> metrics = new ArrayList<>();
  Map<String, List<Object>> perOutputMetrics;
  Distribution distribution;
  int stepsPerExecution = 1;

  /** The optimizer, by instance. */
  public CompileOptions optimizer(Optimizer optimizer) {
    this.optimizer = optimizer;
    return this;
  }

  /** The optimizer by id: {@code "adam"}, {@code "sgd"}, {@code "rmsprop"}, {@code "adagrad"}. */
  public CompileOptions optimizer(String id) {
    this.optimizer = Optimizers.get(id);
    return this;
  }

  /** The loss of every output, by instance. */
  public CompileOptions loss(Loss loss) {
    losses.clear();
    losses.add(loss);
    return this;
  }

  /** The loss of every output, by id ({@code "mse"}, {@code "sparse_categorical_crossentropy"}, ...). */
  public CompileOptions loss(String id) {
    return loss(Losses.get(id));
  }

  /** One loss per output, in the order of the model's outputs. */
  public CompileOptions losses(List<Loss> perOutput) {
    losses.clear();
    losses.addAll(perOutput);
    return this;
  }

  /** Weights of the per-output losses in the total loss; default all 1. */
  public CompileOptions lossWeights(List<Double> weights) {
    this.lossWeights = List.copyOf(weights);
    return this;
  }

  /**
   * Metrics per output of a multi-output model, keyed by output layer name, as Keras's dict form
   * {@code metrics={"out2": ["accuracy"]}}; History then has {@code out2_accuracy}. Outputs not named get none.
   */
  public CompileOptions metrics(Map<String, List<Object>> perOutput) {
    Map<String, List<Object>> copy = new LinkedHashMap<>();
    perOutput.forEach((k, v) -> {
      for (Object m : v) {
        checkMetric(m);
      }
      copy.put(k, List.copyOf(v));
    });
    this.perOutputMetrics = copy;
    return this;
  }

  private static void checkMetric(Object m) {
    if (!(m instanceof String) && !(m instanceof Metric)) {
      throw new IllegalArgumentException("metrics must be String ids or Metric instances. Received: "
          + (m == null ? "null" : m.getClass().getSimpleName()));
    }
  }

  /** Metrics by id ({@code "accuracy"}, {@code "mae"}, ...) or as {@link Metric} instances. */
  public CompileOptions metrics(Object... metrics) {
    for (Object m : metrics) {
      checkMetric(m);
      this.metrics.add(m);
    }
    return this;
  }

  /**
   * Keras's {@code steps_per_execution}: how many training steps {@code fit} runs in one {@code Session.run}
   * (default 1). Each {@code Session.run} costs a fixed 45-60 us in TF Java, a large share of a small model's
   * step; with {@code n > 1}, {@code n} batches are fed at once and trained one after the other in one graph, each
   * step reading the weights, optimizer slots and step counter as the previous one left them, so the epoch's
   * loss and metrics and the trained weights are those of single steps.
   *
   * <p>As in Keras 3, batch-level callbacks are called once per execution: {@code onTrainBatchBegin} with the
   * index of its first batch, {@code onTrainBatchEnd} with the logs after its last batch and (Keras:
   * {@code begin + n - 1}) the index of its last batch; at the end of an epoch with fewer than {@code n} batches
   * left, the rest run in one shorter execution, whose end index here is that of the real last batch (Keras
   * still passes {@code begin + n - 1}). Epoch logs are as with single steps. {@code evaluate}, {@code predict}
   * and {@code trainOnBatch} run one batch per {@code Session.run} (Keras also groups evaluate and predict).
   * Not supported with a {@link Distribution}: {@code fit} refuses the combination. Dropout and noise layers draw
   * a different mask in each step of an execution (each copy is its own random stream), but not the same masks as
   * single steps, so only models without random layers train bit-identically with and without it.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public CompileOptions stepsPerExecution(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("compile(): stepsPerExecution must be an integer >= 1. Received: "
          + "stepsPerExecution=" + n);
    }
    this.stepsPerExecution = n;
    return this;
  }

  /**
   * Trains, evaluates and predicts with this distribution (e.g. a {@link io.github.keras4j.distribution.DataParallel});
   * it wins over the process-wide {@link io.github.keras4j.distribution.Distributions#set}. Java-only: Keras sets
   * distributions only process-wide.
   */
  public CompileOptions distribution(Distribution distribution) {
    this.distribution = distribution;
    return this;
  }
}
