package io.github.keras4j.layers.rnn;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.KernelOptions;
import io.github.keras4j.layers.LayerBuilder;
import io.github.keras4j.layers.WeightSettings;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;

/**
 * The settings shared by the recurrent layers ({@link SimpleRNN.Builder}, {@link LSTM.Builder}, {@link GRU.Builder}),
 * with Keras's defaults: those of every {@link LayerBuilder} (activation default {@code "tanh"}), the kernel's
 * ({@link KernelOptions}), the recurrent kernel's ({@code recurrentInitializer} default {@code "orthogonal"}), and
 * the sequence and dropout settings.
 *
 * @param <B> the concrete builder type, returned by every setter
 */
public abstract class RnnBuilder<B extends RnnBuilder<B>> extends LayerBuilder<B> implements KernelOptions<B> {
  final int units;
  /** Keras's name of {@code units} for error messages: {@code "filters"} for ConvLSTM. */
  String unitsArgument = "units";
  final WeightSettings.Spec kernel = new WeightSettings.Spec("kernel", "glorot_uniform");
  final WeightSettings.Spec recurrent = new WeightSettings.Spec("recurrent", "orthogonal");
  boolean returnSequences;
  boolean returnState;
  boolean goBackwards;
  double dropout;
  double recurrentDropout;
  Long seed;

  /** A builder for a layer of {@code units} units. */
  protected RnnBuilder(int units) {
    super("tanh");
    this.units = units;
  }

  @Override
  public WeightSettings.Spec kernelSpec() {
    return kernel;
  }

  /** The recurrent kernel's initializer by id; default {@code "orthogonal"}. */
  public B recurrentInitializer(String id) {
    recurrent.initializer(id);
    return self();
  }

  /** The recurrent kernel's initializer. */
  public B recurrentInitializer(Initializer initializer) {
    recurrent.initializer(initializer);
    return self();
  }

  /** Penalty on the recurrent kernel by Keras id; null for none. */
  public B recurrentRegularizer(String id) {
    return recurrentRegularizer(Regularizers.get(id));
  }

  /** Penalty on the recurrent kernel; null for none (the default). */
  public B recurrentRegularizer(Regularizer regularizer) {
    recurrent.regularizer(regularizer);
    return self();
  }

  /** Constraint on the recurrent kernel by Keras id; null for none. */
  public B recurrentConstraint(String id) {
    return recurrentConstraint(Constraints.get(id));
  }

  /** Constraint on the recurrent kernel, applied after every optimizer update; null for none (the default). */
  public B recurrentConstraint(Constraint constraint) {
    recurrent.constraint(constraint);
    return self();
  }

  /** Return the whole output sequence {@code (batch, timesteps, units)} instead of the last output; default false. */
  public B returnSequences(boolean returnSequences) {
    this.returnSequences = returnSequences;
    return self();
  }

  /** Enable {@link BaseRnn#applyWithState}; default false. */
  public B returnState(boolean returnState) {
    this.returnState = returnState;
    return self();
  }

  /** Process the sequence backwards and return the reversed sequence; default false. */
  public B goBackwards(boolean goBackwards) {
    this.goBackwards = goBackwards;
    return self();
  }

  /** Fraction of the input units to drop in training; default 0. */
  public B dropout(double dropout) {
    this.dropout = dropout;
    return self();
  }

  /** Fraction of the recurrent state units to drop in training; default 0. */
  public B recurrentDropout(double recurrentDropout) {
    this.recurrentDropout = recurrentDropout;
    return self();
  }

  /** The dropout masks' seed; default drawn from the global seed sequence. */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }
}
