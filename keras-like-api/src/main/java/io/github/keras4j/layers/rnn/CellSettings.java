package io.github.keras4j.layers.rnn;

import io.github.keras4j.activations.ActivationFunction;
import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.layers.WeightSettings;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * What a recurrent layer ({@link BaseRnn}) and a built-in cell ({@link BaseRnnCell}) both take from their builder
 * ({@link CellBuilder}): the units, the activation, whether there is a bias, the settings of {@code kernel},
 * {@code recurrent_kernel} and {@code bias}, the dropout rates (clamped to [0, 1], as Keras) and the masks' seed
 * (drawn from the global seed sequence when unset). It creates the three weights and writes their config entries.
 * The units are checked by the layer or cell, whose messages differ.
 */
final class CellSettings {

  final int units;
  final ActivationFunction activation;
  final String activationId;
  final boolean useBias;
  final WeightSettings kernel;
  final WeightSettings recurrent;
  final WeightSettings bias;
  final float dropout;
  final float recurrentDropout;
  final long seed;

  CellSettings(CellBuilder<?> b) {
    this.units = b.units;
    this.activation = b.activationFunction();
    this.activationId = b.activationId();
    this.useBias = b.hasBias();
    this.kernel = b.kernel.resolve();
    this.recurrent = b.recurrent.resolve();
    this.bias = b.biasSettings();
    this.dropout = (float) Math.min(1.0, Math.max(0.0, b.dropout));
    this.recurrentDropout = (float) Math.min(1.0, Math.max(0.0, b.recurrentDropout));
    this.seed = b.seed != null ? b.seed : Backend.nextSeed();
  }

  /**
   * Creates {@code kernel}, {@code recurrent_kernel} and (with a bias) {@code bias}, in that order, each with its
   * initializer, regularizer and constraint; the bias with {@code biasInitializer} in place of its own.
   */
  BaseRnn.CellWeights createWeights(BaseRnn.WeightFactory factory, Shape kernelShape, Shape recurrentKernelShape,
      Shape biasShape, Initializer biasInitializer) {
    GraphVariable k = factory.add("kernel", kernelShape, kernel);
    GraphVariable rk = factory.add("recurrent_kernel", recurrentKernelShape, recurrent);
    GraphVariable b = useBias ? factory.add("bias", biasShape, bias.withInitializer(biasInitializer)) : null;
    return new BaseRnn.CellWeights(k, rk, b);
  }

  /** Keras's keys {@code units}, {@code activation}, {@code use_bias} and the three weights' settings. */
  void putWeightConfig(Map<String, Object> c) {
    c.put("units", units);
    c.put("activation", activationId);
    c.put("use_bias", useBias);
    kernel.putConfig(c);
    recurrent.putConfig(c);
    bias.putConfig(c);
  }

  /** Keras's keys {@code dropout}, {@code recurrent_dropout} and {@code seed}. */
  void putDropoutConfig(Map<String, Object> c) {
    c.put("dropout", dropout);
    c.put("recurrent_dropout", recurrentDropout);
    c.put("seed", seed);
  }
}
