package io.github.keras4j.callbacks;

import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.training.Callback;
import java.util.List;
import java.util.Map;

/**
 * Sets the learning rate at the start of every epoch from a schedule, as Keras 3's
 * {@code LearningRateScheduler}: {@code lr = schedule(epoch, currentLr)} with the 0-based epoch index and the
 * optimizer's current rate. At each epoch end it writes the rate into the logs as {@code learning_rate}.
 *
 * <pre>{@code
 * // Keep the initial rate for ten epochs, then decay it exponentially (Keras's docstring example).
 * LearningRateScheduler scheduler =
 *     new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1));
 * model.fit(x, y, new FitOptions().epochs(15).callbacks(scheduler));
 * }</pre>
 *
 * <p>With {@code verbose=1} it prints Keras's {@code Epoch N: LearningRateScheduler setting learning rate to X.}
 * (after an empty line, as Keras). The optimizer stores the rate as float32, as Keras does.
 *
 * <p>With a {@code MultiOptimizer}, as Keras, each inner optimizer's rate is scheduled from its own current rate,
 * printed as {@code setting <name> learning rate to X} and logged as {@code learning_rate_<name>}. A
 * {@code LossScaleOptimizer} is seen through to its inner optimizer; Java differs from Keras in that a
 * {@code LossScaleOptimizer} wrapping a {@code MultiOptimizer} is scheduled the same way (Keras raises a
 * {@code ValueError}: its learning rate cannot be read).
 */
public class LearningRateScheduler extends Callback {

  /** A learning-rate schedule: the new rate from the 0-based epoch and the current rate. */
  @FunctionalInterface
  public interface Schedule {
    /** The learning rate for {@code epoch}. */
    double apply(int epoch, double learningRate);
  }

  private final Schedule schedule;
  private final int verbose;

  /** A silent scheduler. */
  public LearningRateScheduler(Schedule schedule) {
    this(schedule, 0);
  }

  /**
   * @param schedule the schedule
   * @param verbose 1 prints the rate set at each epoch
   */
  public LearningRateScheduler(Schedule schedule, int verbose) {
    if (schedule == null) {
      throw new IllegalArgumentException("LearningRateScheduler: schedule must not be null");
    }
    this.schedule = schedule;
    this.verbose = verbose;
  }

  /**
   * Sets the rate of the epoch; for a {@code MultiOptimizer}, that of each inner optimizer from its own current rate.
   *
   * @throws IllegalArgumentException if the schedule returns a rate that is not finite and {@code >= 0}
   * @throws IllegalStateException if the optimizer (or an inner optimizer) was created with a schedule, whose rate
   *     cannot be set
   */
  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    Optimizer optimizer = getModel().getOptimizer();
    List<Optimizer> each = LearningRates.perOptimizer(optimizer);
    if (each == null) {
      double learningRate = update(optimizer, epoch);
      if (verbose > 0) {
        printMsg("\nEpoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
            + PythonFormat.repr(learningRate) + ".");
      }
      return;
    }
    for (Optimizer o : each) {
      double learningRate = update(o, epoch);
      if (verbose > 0) {
        printMsg("\nEpoch " + (epoch + 1) + ": LearningRateScheduler setting " + o.name() + " learning rate to "
            + PythonFormat.repr(learningRate) + ".");
      }
    }
  }

  /** Keras's {@code _update_optimizer_lr}: sets {@code optimizer}'s rate from the schedule and returns it. */
  private double update(Optimizer optimizer, int epoch) {
    double learningRate = schedule.apply(epoch, optimizer.getLearningRate());
    if (Double.isNaN(learningRate) || Double.isInfinite(learningRate) || learningRate < 0) {
      throw new IllegalArgumentException("The output of the `schedule` function should be a finite float >= 0. "
          + "Got: " + PythonFormat.repr(learningRate) + " at epoch " + epoch);
    }
    optimizer.setLearningRate((float) learningRate);
    return learningRate;
  }

  /** Logs {@code learning_rate}, or {@code learning_rate_<name>} for each inner optimizer of a MultiOptimizer. */
  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    LearningRates.log(getModel().getOptimizer(), logs);
  }

  private static void printMsg(String message) {
    System.out.println(message);
  }
}
