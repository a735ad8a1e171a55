package io.github.keras4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The DEQN benchmark's baseline: a Deep Equilibrium Net's policy network shape (the 60-generation OLG model's
 * 312-1000-1000-118) as a dense network with softplus hidden layers and a linear output, written directly on
 * TensorFlow Java with no Keras4J code (its Adam step is {@link RawAdam}'s).
 *
 * <p>The real DEQN loss is built from the model's equilibrium conditions; the benchmark trains the same network
 * on the mean squared error against random targets instead, which costs the same matrix products. Ref variables
 * read through {@code Identity}; {@code MatMul}, {@code BiasAdd}, {@code Softplus}; the mean of
 * {@code SquaredDifference} over all outputs (Keras's {@code "mse"} with equal sample weights); gradients from
 * {@code Graph.addGradients}; {@code ApplyAdam} per variable behind a barrier on all gradients and the loss, the
 * step counter advanced after all applies (as {@link RawMlp}). One {@code Session.run} per step feeds the batch and
 * fetches the loss.
 *
 * <p>The initial weights are given (the benchmark copies them from the Keras4J model it is compared with), so both
 * sides start from the same point and their first losses can be compared.
 */
final class RawDeqn extends RawGraph {


  /**
   * @param units the layer sizes, inputs first: {@code 312, 1000, 1000, 118}
   * @param learningRate Adam's learning rate
   * @param initial the initial weights, kernel then bias for each layer (as Keras's {@code get_weights()}), each
   *     kernel row-major of shape {@code (units[l - 1], units[l])}
   * @param config the session's options (device, XLA, Grappler)
   */
  RawDeqn(int[] units, float learningRate, List<float[]> initial, ConfigProto config) {
    if (initial.size() != 2 * (units.length - 1)) {
      throw new IllegalArgumentException("RawDeqn: expected " + 2 * (units.length - 1) + " initial weights (kernel "
          + "and bias per layer), received " + initial.size());
    }
    Ops tf = Ops.create(graph);
    Ops init = tf.withInitScope();
    int inputs = units[0];
    int outputs = units[units.length - 1];
    Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, inputs)));
    Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, outputs)));

    List<Variable<TFloat32>> weights = new ArrayList<>();
    Operand<TFloat32> h = x;
    for (int l = 1; l < units.length; l++) {
      Ops layer = tf.withSubScope("dense" + l);
      float[] k = initial.get(2 * (l - 1));
      float[] b = initial.get(2 * (l - 1) + 1);
      if (k.length != units[l - 1] * units[l] || b.length != units[l]) {
        throw new IllegalArgumentException("RawDeqn: layer " + l + " expects a kernel of " + units[l - 1] * units[l]
            + " and a bias of " + units[l] + " values, received " + k.length + " and " + b.length);
      }
      Variable<TFloat32> kernel = layer.withName("kernel").variable(
          init.constant(Shape.of(units[l - 1], units[l]), DataBuffers.of(k, true, false)));
      Variable<TFloat32> bias = layer.withName("bias").variable(init.constant(b));
      weights.add(kernel);
      weights.add(bias);
      h = layer.nn.biasAdd(layer.linalg.matMul(h, layer.identity(kernel)), layer.identity(bias));
      if (l < units.length - 1) {
        h = layer.math.softplus(h);
      }
    }
    Operand<TFloat32> output = tf.withName("output").identity(h);
    Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(h, y), tf.constant(new int[] {0, 1}));

    Op train = RawAdam.trainOp(graph, tf, init, loss, weights, learningRate);

    open(config, x, y, output, loss, train);
  }

  /**
   * Runs {@code steps} training steps on consecutive batches of {@code batchSize} samples.
   *
   * @param xs row-major inputs, {@code units[0]} values per sample
   * @param ys row-major targets, {@code units[last]} values per sample
   * @param firstSample the sample the first batch starts at
   * @return the mean loss of the steps
   */
  float train(float[] xs, float[] ys, int firstSample, int steps, int batchSize) {
    return trainOnTargets(xs, ys, firstSample, steps, batchSize);
  }
}
