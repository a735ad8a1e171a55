package io.github.keras4j.callbacks;

import io.github.keras4j.optimizers.Optimizer;
import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rate when a monitored quantity has stopped improving, as Keras 3's
 * {@code ReduceLROnPlateau}.
 *
 * <p>At each epoch end it first writes the optimizer's current learning rate into the logs as
 * {@code learning_rate} (so History, CSVLogger and TensorBoard placed after it record it). Then, when the monitored
 * value is logged: during a cooldown the cooldown counter goes down by one and the wait is reset; an improvement
 * (see {@link MonitorCallback}; here {@code minDelta} defaults to {@code 1e-4}) becomes the new best and resets the
 * wait; otherwise, outside a cooldown, the wait grows by one and when it reaches {@code patience} the learning
 * rate becomes {@code max(lr * factor, minLr)} (only if {@code lr > minLr}), the cooldown starts and the wait is
 * reset. The state is reset in {@code onTrainBegin}.
 *
 * <pre>{@code
 * ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().monitor("val_loss").factor(0.2).patience(5).minLr(0.001)
 *     .build();
 * model.fit(x, y, new FitOptions().epochs(50).validationSplit(0.2).callbacks(reduce));
 * }</pre>
 *
 * <p>Defaults as Keras: {@code monitor="val_loss"}, {@code factor=0.1}, {@code patience=10}, {@code verbose=0},
 * {@code mode="auto"}, {@code minDelta=1e-4}, {@code cooldown=0}, {@code minLr=0}. With {@code verbose=1} it prints
 * Keras's {@code Epoch N: ReduceLROnPlateau reducing learning rate to X.} (after an empty line, as Keras).
 *
 * <p>Java differences from Keras: the optimizer keeps its learning rate as float32 (as Keras does), so the value
 * logged is the float32 rate widened to double; the printed new rate is the double {@code lr * factor}, as Keras
 * prints it.
 *
 * <p>With a {@code MultiOptimizer}, as Keras, the rate of each inner optimizer is logged
 * ({@code learning_rate_<name>}) and reduced ({@code reducing <name> learning rate to X}); the cooldown starts if any
 * was reduced. A {@code LossScaleOptimizer} is seen through to its inner optimizer (Java differs from Keras in that
 * one wrapping a {@code MultiOptimizer} is handled the same way: Keras raises, its learning rate cannot be read).
 */
public class ReduceLROnPlateau extends MonitorCallback {

  private final double factor;
  private final double minLr;
  private final int patience;
  private final int verbose;
  private final int cooldown;
  private int cooldownCounter;
  private int wait;

  /** Keras's defaults. */
  public ReduceLROnPlateau() {
    this(builder());
  }

  /** Multiplies the learning rate by {@code factor} after {@code patience} epochs without improvement. */
  public ReduceLROnPlateau(String monitor, double factor, int patience) {
    this(builder().monitor(monitor).factor(factor).patience(patience));
  }

  private ReduceLROnPlateau(Builder b) {
    super(b.monitor, b.mode, null, b.minDelta);
    if (b.factor >= 1.0) {
      throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0. Received factor="
          + PythonFormat.repr(b.factor));
    }
    if (b.patience < 0 || b.cooldown < 0) {
      throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0. Received: patience="
          + b.patience + ", cooldown=" + b.cooldown);
    }
    this.factor = b.factor;
    this.minLr = b.minLr;
    this.patience = b.patience;
    this.verbose = b.verbose;
    this.cooldown = b.cooldown;
  }

  /** All settings, starting from Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Resets the wait, the cooldown and the best value (Keras's {@code _reset}). */
  private void reset() {
    best = null;
    cooldownCounter = 0;
    wait = 0;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    reset();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    setMonitorOp();
    Optimizer optimizer = getModel().getOptimizer();
    LearningRates.log(optimizer, logs);
    Double current = logs.get(getMonitor());
    if (current == null) {
      warn("Learning rate reduction is conditioned on metric `" + getMonitor() + "` which is not available. "
          + "Available metrics are: " + String.join(",", logs.keySet()) + ".");
      return;
    }
    if (inCooldown()) {
      cooldownCounter--;
      wait = 0;
    }
    if (isImprovement(current, best)) {
      best = current;
      wait = 0;
    } else if (!inCooldown()) {
      wait++;
      if (wait >= patience && reduceAll(optimizer, epoch)) {
        cooldownCounter = cooldown;
        wait = 0;
      }
    }
  }

  /** Reduces the rate, or each inner optimizer's of a MultiOptimizer; whether any was reduced. */
  private boolean reduceAll(Optimizer optimizer, int epoch) {
    List<Optimizer> each = LearningRates.perOptimizer(optimizer);
    if (each == null) {
      return reduce(optimizer, epoch, "");
    }
    boolean reduced = false;
    for (Optimizer o : each) {
      // Every inner optimizer is reduced, not only until one is (no short circuit).
      reduced |= reduce(o, epoch, " " + o.name());
    }
    return reduced;
  }

  private boolean reduce(Optimizer optimizer, int epoch, String name) {
    double oldLr = optimizer.getLearningRate();
    if (oldLr > (float) minLr) {
      double newLr = Math.max(oldLr * factor, minLr);
      optimizer.setLearningRate((float) newLr);
      if (verbose > 0) {
        printMsg("\nEpoch " + (epoch + 1) + ": ReduceLROnPlateau reducing" + name + " learning rate to "
            + PythonFormat.repr(newLr) + ".");
      }
      return true;
    }
    return false;
  }

  /** Whether a cooldown is running. */
  public boolean inCooldown() {
    return cooldownCounter > 0;
  }

  /** Epochs counted since the last improvement (Keras's {@code wait}). */
  public int getWait() {
    return wait;
  }

  /** Epochs of cooldown left (Keras's {@code cooldown_counter}). */
  public int getCooldownCounter() {
    return cooldownCounter;
  }

  /**
   * Settings of {@link ReduceLROnPlateau}, Keras's names and defaults: those of every {@link PatienceBuilder}
   * ({@code minDelta} default 1e-4, {@code patience} default 10), {@code factor}, {@code cooldown} and
   * {@code minLr}.
   */
  public static final class Builder extends PatienceBuilder<Builder> {
    private double factor = 0.1;
    private int cooldown = 0;
    private double minLr = 0;

    private Builder() {
      super(1e-4, 10);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The factor applied to the learning rate, below 1; default 0.1. */
    public Builder factor(double factor) {
      this.factor = factor;
      return this;
    }

    /** Epochs to wait after a reduction before counting again; default 0. */
    public Builder cooldown(int cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    /** The lower bound of the learning rate; default 0. */
    public Builder minLr(double minLr) {
      this.minLr = minLr;
      return this;
    }

    /** The callback. */
    public ReduceLROnPlateau build() {
      return new ReduceLROnPlateau(this);
    }
  }
}
