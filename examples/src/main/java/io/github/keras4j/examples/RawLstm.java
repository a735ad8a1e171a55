package io.github.keras4j.examples;

import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The LSTM benchmark's baseline: {@code LSTM(units)} over {@code timesteps} steps, then {@code Dense(1)}, mean squared
 * error and Adam, written directly on TensorFlow Java with no Keras4J code (its Adam step is {@link RawAdam}'s).
 *
 * <p>The LSTM is unrolled by hand the way Keras4J unrolls it, so the comparison measures the framework rather than
 * two different graphs: the inputs of all steps go through the kernel in one {@code MatMul} (plus the bias), then
 * each step adds {@code h . recurrent_kernel}, splits the four gates (i, f, c, o), applies sigmoid/tanh and updates
 * {@code c} and {@code h}. The zero initial state comes from the fed batch's size. Ref variables read through
 * {@code Identity}; gradients from {@code Graph.addGradients}; {@code ApplyAdam} per variable behind a barrier on all
 * gradients and the loss, the step counter advanced after all applies (as {@link RawMlp}). Initial values: Glorot
 * uniform kernels, uniform recurrent kernel, forget-gate bias 1 (values do not change the step time).
 */
final class RawLstm extends RawGraph {


  /**
   * @param timesteps sequence length
   * @param features inputs per step
   * @param units LSTM units
   * @param learningRate Adam's learning rate
   * @param seed the seed of the initial weights
   * @param config the session's options (device, XLA, Grappler)
   */
  RawLstm(int timesteps, int features, int units, float learningRate, long seed, ConfigProto config) {
    Ops tf = Ops.create(graph);
    Ops init = tf.withInitScope();
    SplittableRandom random = new SplittableRandom(seed);
    Placeholder<TFloat32> x =
        tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, timesteps, features)));
    Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));

    Ops lstm = tf.withSubScope("lstm");
    Variable<TFloat32> kernel = lstm.withName("kernel").variable(
        uniformMatrix(init, features, 4 * units, Math.sqrt(6.0 / (features + 4 * units)), random));
    Variable<TFloat32> recurrent = lstm.withName("recurrent_kernel").variable(
        uniformMatrix(init, units, 4 * units, Math.sqrt(3.0 / units), random));
    float[] b = new float[4 * units];
    for (int j = units; j < 2 * units; j++) {
      b[j] = 1f;
    }
    Variable<TFloat32> bias = lstm.withName("bias").variable(init.constant(b));
    Ops dense = tf.withSubScope("dense");
    Variable<TFloat32> denseKernel = dense.withName("kernel").variable(
        uniformMatrix(init, units, 1, Math.sqrt(6.0 / (units + 1)), random));
    Variable<TFloat32> denseBias = dense.withName("bias").variable(init.constant(new float[1]));
    List<Variable<TFloat32>> weights = List.of(kernel, recurrent, bias, denseKernel, denseBias);

    // All steps through the kernel at once, then one (batch, 4 * units) slice per step.
    Operand<TFloat32> projected = lstm.nn.biasAdd(
        lstm.linalg.matMul(lstm.reshape(x, lstm.constant(new long[] {-1, features})), lstm.identity(kernel)),
        lstm.identity(bias));
    List<Output<TFloat32>> steps = lstm.unstack(
        lstm.reshape(projected, lstm.constant(new long[] {-1, timesteps, 4L * units})), (long) timesteps,
        Unstack.axis(1L)).output();
    Operand<TFloat32> r = lstm.identity(recurrent);
    Operand<TFloat32> h = lstm.fill(lstm.concat(List.of(
        lstm.slice(lstm.shape(x), lstm.constant(new int[] {0}), lstm.constant(new int[] {1})),
        lstm.constant(new int[] {units})), lstm.constant(0)), lstm.constant(0f));
    Operand<TFloat32> c = h;
    for (int t = 0; t < timesteps; t++) {
      List<Output<TFloat32>> z = lstm.split(lstm.constant(1), lstm.math.add(steps.get(t), lstm.linalg.matMul(h, r)), 4L)
          .output();
      Operand<TFloat32> i = lstm.math.sigmoid(z.get(0));
      Operand<TFloat32> f = lstm.math.sigmoid(z.get(1));
      c = lstm.math.add(lstm.math.mul(f, c), lstm.math.mul(i, lstm.math.tanh(z.get(2))));
      Operand<TFloat32> o = lstm.math.sigmoid(z.get(3));
      h = lstm.math.mul(o, lstm.math.tanh(c));
    }
    Operand<TFloat32> prediction =
        dense.nn.biasAdd(dense.linalg.matMul(h, dense.identity(denseKernel)), dense.identity(denseBias));
    Operand<TFloat32> output = tf.withName("output").identity(prediction);
    Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(prediction, y), tf.constant(new int[] {0, 1}));

    Op train = RawAdam.trainOp(graph, tf, init, loss, weights, learningRate);

    open(config, x, y, output, loss, train);
  }

  /**
   * Runs {@code steps} training steps on consecutive batches of {@code batchSize} sequences.
   *
   * @param xs row-major inputs, {@code timesteps * features} values per sample
   * @param ys one target per sample
   * @param firstSample the sample the first batch starts at
   * @return the mean loss of the steps
   */
  float train(float[] xs, float[] ys, int firstSample, int steps, int batchSize) {
    return trainOnTargets(xs, ys, firstSample, steps, batchSize);
  }
}
