package io.github.keras4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The benchmark's baseline: an MLP with ReLU hidden layers, softmax cross-entropy on integer labels and Adam,
 * written directly on TensorFlow Java with no Keras4J code (its Adam step is {@link RawAdam}'s), the way one would
 * write it by hand. Session, training loop and forward pass are {@link RawGraph}'s.
 *
 * <p>Ref variables ({@code tf.variable}) read through {@code Identity}; {@code MatMul}, {@code BiasAdd},
 * {@code Relu}; the mean of {@code SoftmaxCrossEntropyWithLogits} over one-hot labels (the same value as the
 * sparse form, whose gradient TensorFlow does not have); gradients from {@code Graph.addGradients};
 * {@code ApplyAdam} per variable, every apply waiting for all gradients and the loss, and the step counter
 * advanced after all applies. One {@code Session.run} per step feeds the batch and fetches the loss.
 */
final class RawMlp extends RawGraph {


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
    int inputs = units[0];
    int classes = units[units.length - 1];
    Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, inputs)));
    Placeholder<TInt32> y = tf.withName("y").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));

    List<Variable<TFloat32>> weights = new ArrayList<>();
    Operand<TFloat32> h = x;
    for (int l = 1; l < units.length; l++) {
      Ops layer = tf.withSubScope("dense" + l);
      Variable<TFloat32> kernel = layer.withName("kernel").variable(
          uniformMatrix(init, units[l - 1], units[l], Math.sqrt(6.0 / (units[l - 1] + units[l])), random));
      Variable<TFloat32> bias = layer.withName("bias").variable(init.constant(new float[units[l]]));
      weights.add(kernel);
      weights.add(bias);
      h = layer.nn.biasAdd(layer.linalg.matMul(h, layer.identity(kernel)), layer.identity(bias));
      if (l < units.length - 1) {
        h = layer.nn.relu(h);
      }
    }
    Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> output = tf.withName("output").nn.softmax(h);
    Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(h, oneHot).loss(), tf.constant(0));

    Op train = RawAdam.trainOp(graph, tf, init, loss, weights, learningRate);

    open(config, x, y, output, loss, train);
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
    return trainOnLabels(xs, labels, firstSample, steps, batchSize);
  }
}
