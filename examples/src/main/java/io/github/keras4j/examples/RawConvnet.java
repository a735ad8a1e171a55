package io.github.keras4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The convnet benchmark's baseline: the keras.io MNIST convnet (Conv2D 32 3x3 ReLU, MaxPooling 2x2, Conv2D 64
 * 3x3 ReLU, MaxPooling 2x2, Flatten, Dropout 0.5, Dense 10) with softmax cross-entropy on integer labels and
 * Adam, written directly on TensorFlow Java with no Keras4J code (its Adam step is {@link RawAdam}'s), the way one
 * would write it by hand.
 *
 * <p>Ref variables read through {@code Identity}; {@code Conv2D} ("VALID"), {@code BiasAdd}, {@code Relu},
 * {@code MaxPoolV2}, {@code Reshape}; dropout as a seeded {@code RandomUniform} mask scaled by 2; {@code MatMul};
 * the mean of {@code SoftmaxCrossEntropyWithLogits} over one-hot labels; gradients from
 * {@code Graph.addGradients}; {@code ApplyAdam} per variable behind a barrier on all gradients and the loss, the
 * step counter advanced after all applies (as {@link RawMlp}). One {@code Session.run} per step feeds the batch
 * and fetches the loss; {@link #predict} runs the forward pass without dropout.
 */
final class RawConvnet extends RawGraph {

  /** Input height and width. */
  static final int SIZE = 28;
  /** Number of classes. */
  static final int CLASSES = 10;


  /**
   * @param learningRate Adam's learning rate
   * @param seed the seed of the Glorot-uniform initial kernels and of the dropout mask
   * @param config the session's options (device, XLA, Grappler)
   */
  RawConvnet(float learningRate, long seed, ConfigProto config) {
    Ops tf = Ops.create(graph);
    Ops init = tf.withInitScope();
    SplittableRandom random = new SplittableRandom(seed);
    Placeholder<TFloat32> x =
        tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, SIZE, SIZE, 1)));
    Placeholder<TInt32> y = tf.withName("y").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    List<Variable<TFloat32>> weights = new ArrayList<>();
    List<Long> ones = List.of(1L, 1L, 1L, 1L);
    Operand<TInt32> window = tf.constant(new int[] {1, 2, 2, 1});

    Operand<TFloat32> h = x;
    int channels = 1;
    for (int filters : new int[] {32, 64}) {
      Ops conv = tf.withSubScope("conv" + filters);
      Variable<TFloat32> kernel = conv.withName("kernel").variable(
          init.constant(Shape.of(3, 3, channels, filters), DataBuffers.of(uniform(9 * channels * filters,
              Math.sqrt(6.0 / (9 * channels + 9 * filters)), random), true, false)));
      Variable<TFloat32> bias = conv.withName("bias").variable(init.constant(new float[filters]));
      weights.add(kernel);
      weights.add(bias);
      h = conv.nn.relu(conv.nn.biasAdd(conv.nn.conv2d(h, conv.identity(kernel), ones, "VALID"), conv.identity(bias)));
      h = conv.nn.maxPool(h, window, window, "VALID");
      channels = filters;
    }
    int features = 5 * 5 * 64;
    h = tf.reshape(h, tf.constant(new int[] {-1, features}));
    Operand<TFloat32> noise = tf.random.randomUniform(tf.shape(h), TFloat32.class,
        RandomUniform.seed(seed & 0x7fffffffL).seed2(1L));
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(noise, tf.constant(0.5f)), TFloat32.class);
    Operand<TFloat32> pooled = h;
    h = tf.math.mul(h, tf.math.mul(keep, tf.constant(2f)));

    Ops dense = tf.withSubScope("dense");
    Variable<TFloat32> kernel = dense.withName("kernel").variable(init.constant(Shape.of(features, CLASSES),
        DataBuffers.of(uniform(features * CLASSES, Math.sqrt(6.0 / (features + CLASSES)), random), true, false)));
    Variable<TFloat32> bias = dense.withName("bias").variable(init.constant(new float[CLASSES]));
    weights.add(kernel);
    weights.add(bias);
    Operand<TFloat32> logits = dense.nn.biasAdd(dense.linalg.matMul(h, dense.identity(kernel)), dense.identity(bias));
    // Inference: the same dense layer on the features without dropout, then softmax.
    Operand<TFloat32> output = tf.withName("output").nn.softmax(
        dense.nn.biasAdd(dense.linalg.matMul(pooled, dense.identity(kernel)), dense.identity(bias)));
    Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(CLASSES), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss(), tf.constant(0));

    Op train = RawAdam.trainOp(graph, tf, init, loss, weights, learningRate);

    open(config, x, y, output, loss, train);
  }

  /**
   * Runs {@code steps} training steps on consecutive batches of {@code batchSize} images.
   *
   * @param xs row-major images, {@code 28 * 28} values each
   * @param labels class indices
   * @param firstSample the sample the first batch starts at
   * @return the mean loss of the steps
   */
  float train(float[] xs, int[] labels, int firstSample, int steps, int batchSize) {
    return trainOnLabels(xs, labels, firstSample, steps, batchSize);
  }
}
