package io.github.keras4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The benchmark's baseline: an MLP with ReLU hidden layers, softmax cross-entropy on integer labels and Adam,
 * written directly on TensorFlow Java with no Keras4J code (its Adam step is {@link RawAdam}'s), the way one would write it by hand.
 *
 * <p>Ref variables ({@code tf.variable}) read through {@code Identity}; {@code MatMul}, {@code BiasAdd},
 * {@code Relu}; the mean of {@code SoftmaxCrossEntropyWithLogits} over one-hot labels (the same value as the
 * sparse form, whose gradient TensorFlow does not have); gradients from {@code Graph.addGradients};
 * {@code ApplyAdam} per variable, every apply waiting for all gradients and the loss, and the step counter
 * advanced after all applies. One {@code Session.run} per step feeds the batch and fetches the loss.
 */
final class RawMlp implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TInt32> y;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> output;
  private final Op train;
  private final int inputs;
  private final int classes;

  /**
   * @param units the layer sizes, inputs first: {@code 784, 256, 256, 10}
   * @param learningRate Adam's learning rate
   * @param seed the seed of the Glorot-uniform initial kernels
   * @param config the session's options (device, XLA, Grappler)
   */
  RawMlp(int[] units, float learningRate, long seed, ConfigProto config) {
    Ops tf = Ops.create(graph);
    Ops init = tf.withInitScope();
    SplittableRandom random = new SplittableRandom(seed);
    inputs = units[0];
    classes = units[units.length - 1];
    x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, inputs)));
    y = tf.withName("y").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));

    List<Variable<TFloat32>> weights = new ArrayList<>();
    Operand<TFloat32> h = x;
    for (int l = 1; l < units.length; l++) {
      Ops layer = tf.withSubScope("dense" + l);
      Variable<TFloat32> kernel = layer.withName("kernel").variable(init.constant(glorot(units[l - 1], units[l], random)));
      Variable<TFloat32> bias = layer.withName("bias").variable(init.constant(new float[units[l]]));
      weights.add(kernel);
      weights.add(bias);
      h = layer.nn.biasAdd(layer.linalg.matMul(h, layer.identity(kernel)), layer.identity(bias));
      if (l < units.length - 1) {
        h = layer.nn.relu(h);
      }
    }
    Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    output = tf.withName("output").nn.softmax(h);
    loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(h, oneHot).loss(), tf.constant(0));

    train = RawAdam.trainOp(graph, tf, init, loss, weights, learningRate);

    session = new Session(graph, config);
    session.initialize();
  }

  /**
   * Runs {@code steps} training steps on consecutive batches of {@code batchSize} samples.
   *
   * @param xs row-major inputs, {@code inputs} values per sample
   * @param labels class indices
   * @param firstSample the sample the first batch starts at
   * @return the mean loss of the steps
   */
  float train(float[] xs, int[] labels, int firstSample, int steps, int batchSize) {
    double total = 0;
    for (int s = 0; s < steps; s++) {
      int from = firstSample + s * batchSize;
      try (TFloat32 xb = TFloat32.tensorOf(Shape.of(batchSize, inputs),
              DataBuffers.of(xs, true, false).slice((long) from * inputs, (long) batchSize * inputs));
          TInt32 yb = TInt32.tensorOf(Shape.of(batchSize), DataBuffers.of(labels, true, false).slice(from, batchSize));
          Result r = session.runner().feed(x, xb).feed(y, yb).fetch(loss).addTarget(train).run()) {
        total += ((TFloat32) r.get(0)).getFloat();
      }
    }
    return (float) (total / steps);
  }

  /**
   * The inference forward pass over the first {@code rows} samples in batches of {@code batchSize}, one
   * {@code Session.run} per batch, the outputs copied into one array (as {@code Model.predict} does).
   */
  float[] predict(float[] xs, int rows, int batchSize) {
    float[] out = new float[rows * classes];
    for (int from = 0; from < rows; from += batchSize) {
      int count = Math.min(batchSize, rows - from);
      try (TFloat32 xb = TFloat32.tensorOf(Shape.of(count, inputs),
              DataBuffers.of(xs, true, false).slice((long) from * inputs, (long) count * inputs));
          Result r = session.runner().feed(x, xb).fetch(output).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, from * classes, count * classes);
      }
    }
    return out;
  }

  private static float[][] glorot(int fanIn, int fanOut, SplittableRandom random) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    float[][] w = new float[fanIn][fanOut];
    for (float[] row : w) {
      for (int j = 0; j < fanOut; j++) {
        row[j] = (float) random.nextDouble(-limit, limit);
      }
    }
    return w;
  }

  /** Number of operations in the graph (forward, gradients and optimizer). */
  int graphOps() {
    int n = 0;
    for (var it = graph.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
