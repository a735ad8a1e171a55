package io.github.keras4j.examples;

import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * What the benchmark's hand-written TF Java models ({@link RawMlp}, {@link RawConvnet}, {@link RawLstm},
 * {@link RawDeqn}) share once their graph is built: the session, the training loop (one {@code Session.run} per
 * step that feeds a batch, fetches the loss and runs the update op), the batched forward pass and the op count.
 * A subclass builds its graph on {@link #graph} in its constructor and ends it with {@link #open}.
 */
abstract class RawGraph implements AutoCloseable {

  /** The graph the subclass builds. */
  final Graph graph = new Graph();
  private Session session;
  private Placeholder<TFloat32> x;
  private Placeholder<? extends TType> y;
  private Operand<TFloat32> loss;
  private Operand<TFloat32> output;
  private Op train;
  private Shape sampleShape;
  private long sampleSize;
  private long outputSize;
  private Shape targetShape;
  private long targetSize;

  /**
   * Starts the session on the finished graph and initialises the variables.
   *
   * @param x the inputs, {@code (None, ...)}, the rest of the shape known
   * @param y the targets: int32 labels {@code (None,)} or float32 {@code (None, ...)}
   * @param output the inference output, {@code (None, ...)}, the rest of the shape known
   * @param loss the scalar training loss
   * @param train the op that applies one update
   */
  final void open(ConfigProto config, Placeholder<TFloat32> x, Placeholder<? extends TType> y,
      Operand<TFloat32> output, Operand<TFloat32> loss, Op train) {
    this.x = x;
    this.y = y;
    this.output = output;
    this.loss = loss;
    this.train = train;
    sampleShape = x.shape().tail();
    sampleSize = sampleShape.size();
    outputSize = output.shape().tail().size();
    targetShape = y.shape().tail();
    targetSize = targetShape.size();
    session = new Session(graph, config);
    session.initialize();
  }

  /** {@code steps} training steps on consecutive batches, with int32 class labels; returns the mean loss. */
  final float trainOnLabels(float[] xs, int[] labels, int firstSample, int steps, int batchSize) {
    return trainSteps(xs, firstSample, steps, batchSize,
        from -> TInt32.tensorOf(Shape.of(batchSize), DataBuffers.of(labels, true, false).slice(from, batchSize)));
  }

  /** {@code steps} training steps on consecutive batches, with float targets; returns the mean loss. */
  final float trainOnTargets(float[] xs, float[] ys, int firstSample, int steps, int batchSize) {
    return trainSteps(xs, firstSample, steps, batchSize, from -> TFloat32.tensorOf(
        Shape.of(batchSize).append(targetShape),
        DataBuffers.of(ys, true, false).slice(from * targetSize, batchSize * targetSize)));
  }

  private float trainSteps(float[] xs, int firstSample, int steps, int batchSize, IntFunction<Tensor> targets) {
    double total = 0;
    for (int s = 0; s < steps; s++) {
      int from = firstSample + s * batchSize;
      try (TFloat32 xb = inputs(xs, from, batchSize);
          Tensor yb = targets.apply(from);
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
  final float[] predict(float[] xs, int rows, int batchSize) {
    float[] out = new float[Math.toIntExact(rows * outputSize)];
    for (int from = 0; from < rows; from += batchSize) {
      int count = Math.min(batchSize, rows - from);
      try (TFloat32 xb = inputs(xs, from, count);
          Result r = session.runner().feed(x, xb).fetch(output).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, (int) (from * outputSize),
            (int) (count * outputSize));
      }
    }
    return out;
  }

  private TFloat32 inputs(float[] xs, int from, int count) {
    return TFloat32.tensorOf(Shape.of(count).append(sampleShape),
        DataBuffers.of(xs, true, false).slice(from * sampleSize, count * sampleSize));
  }

  /** Number of operations in the graph (forward, gradients and optimizer). */
  final int graphOps() {
    int n = 0;
    for (var it = graph.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  /** {@code count} values uniform in {@code [-limit, limit)}: Glorot-uniform with {@code sqrt(6 / (in + out))}. */
  static float[] uniform(int count, double limit, SplittableRandom random) {
    float[] w = new float[count];
    for (int i = 0; i < count; i++) {
      w[i] = (float) random.nextDouble(-limit, limit);
    }
    return w;
  }

  /** A {@code (rows, cols)} constant of {@link #uniform} values, built with {@code init} (the init scope). */
  static Operand<TFloat32> uniformMatrix(Ops init, int rows, int cols, double limit, SplittableRandom random) {
    return init.constant(Shape.of(rows, cols), DataBuffers.of(uniform(rows * cols, limit, random), true, false));
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
