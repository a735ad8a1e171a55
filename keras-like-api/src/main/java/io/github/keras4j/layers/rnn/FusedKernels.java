package io.github.keras4j.layers.rnn;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.rnn.BaseRnn.CellWeights;
import io.github.keras4j.layers.rnn.BaseRnn.Unrolled;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds {@link LSTM} and {@link GRU} calls on TensorFlow's fused recurrent kernels ({@code BlockLSTMV2},
 * {@code GRUBlockCell}), converting Keras's weights to the kernels' layouts inside the graph, so the layer's
 * variables, names and {@code getWeights()} order stay Keras's. The kernels' gradients are registered by
 * {@link io.github.keras4j.graph.RnnGradients}.
 */
final class FusedKernels {

  private FusedKernels() {}

  /**
   * Why a fused kernel cannot compute this call of {@code layer}, or null if it can: it computes only the tanh /
   * sigmoid cell, no mask, and no recurrent dropout (input dropout is applied to the inputs first, as Keras does
   * before its cuDNN kernel).
   */
  static String obstacle(BaseRnn layer, String recurrentActivationId, Operand<TBool> mask, boolean training) {
    if (!"tanh".equals(layer.activationId())) {
      return "activation=" + layer.activationId() + " (the kernel computes tanh)";
    }
    if (!"sigmoid".equals(recurrentActivationId)) {
      return "recurrentActivation=" + recurrentActivationId + " (the kernel computes sigmoid)";
    }
    if (mask != null) {
      return "the call has a mask";
    }
    if (training && layer.recurrentDropout() > 0) {
      return "recurrentDropout=" + layer.recurrentDropout() + " in training";
    }
    return null;
  }

  /**
   * Whether to use the fused kernel: never with {@code useFused=false}, else when there is no obstacle.
   *
   * @throws IllegalArgumentException with {@code useFused=true} and an obstacle (Keras's error for
   *     {@code use_cudnn=True})
   */
  static boolean use(BaseRnn layer, Boolean useFused, String obstacle) {
    if (Boolean.FALSE.equals(useFused)) {
      return false;
    }
    if (obstacle != null && Boolean.TRUE.equals(useFused)) {
      throw new IllegalArgumentException("Layer '" + layer.name() + "': useFused=true was specified, but the fused "
          + "kernel is not supported for this layer configuration or call: " + obstacle + ". Leave useFused unset "
          + "(auto) to fall back to the unrolled graph.");
    }
    return obstacle == null;
  }

  /**
   * The inputs under the input dropout mask of a training call (one {@code (batch, features)} mask for every step,
   * drawn as the unrolled path draws it without recurrent dropout), else the inputs.
   */
  static Operand<TFloat32> droppedInputs(Ops tf, BaseRnn layer, Operand<TFloat32> inputs, boolean training,
      long maskSeed) {
    float rate = layer.dropout();
    if (!training || rate <= 0 || rate >= 1) {
      return inputs;
    }
    Operand<TFloat32> mask = BaseRnn.dropoutMasks(tf, Shapes.dims(tf, inputs, 0, 1), new long[] {inputs.shape().get(2)},
        rate, 1, maskSeed, 0).get(0);
    return tf.math.mul(inputs, tf.expandDims(mask, tf.constant(1)));
  }

  /**
   * An LSTM over {@code inputs} {@code (batch, timesteps, features)} in {@code BlockLSTMV2} ops, one per slice of the
   * batch ({@link #batchParts()}, sizes {@code batch / parts} and the rest in the last): the inputs go
   * time-major (reversed for {@code backwards}), {@code w = [kernel; recurrent_kernel]} ({@code (features + units,
   * 4 * units)}, columns in Keras's gate order i, f, c, o, which is V2's), {@code b} the bias or zeros, no forget
   * bias (Keras's {@code unitForgetBias} lives in the bias), no cell clipping, zero peephole weights; the initial
   * states {@code [h, c]} (cut into the same batch slices), or zeros for null.
   */
  static Unrolled lstm(Ops tf, Operand<TFloat32> inputs, CellWeights w, int units, boolean backwards,
      List<Operand<TFloat32>> initialState) {
    long timesteps = inputs.shape().get(1);
    Operand<TFloat32> x = tf.linalg.transpose(inputs, tf.constant(new int[] {1, 0, 2}));
    if (backwards) {
      x = tf.reverse(x, tf.constant(new int[] {0}));
    }
    Operand<TFloat32> weights = tf.concat(List.of(w.kernel().value(), w.recurrentKernel().value()), tf.constant(0));
    Operand<TFloat32> bias = w.bias() != null ? w.bias().value() : tf.zeros(tf.constant(new long[] {4L * units}),
        TFloat32.class);
    Operand<TFloat32> peephole = tf.zeros(tf.constant(new long[] {units}), TFloat32.class);
    int parts = batchParts();
    List<Operand<TFloat32>> xs = new ArrayList<>();
    List<Operand<TFloat32>> h0 = new ArrayList<>();
    List<Operand<TFloat32>> c0 = new ArrayList<>();
    Operand<TInt32> b = Shapes.dims(tf, x, 1, 1);
    if (parts == 1) {
      xs.add(x);
      if (initialState != null) {
        h0.add(initialState.get(0));
        c0.add(initialState.get(1));
      }
    } else {
      Operand<TInt32> each = tf.math.floorDiv(b, tf.constant(parts));
      List<Operand<TInt32>> sizes = new ArrayList<>();
      for (int i = 0; i < parts - 1; i++) {
        sizes.add(each);
      }
      sizes.add(tf.math.sub(b, tf.math.mul(each, tf.constant(parts - 1))));
      Operand<TInt32> sizeSplits = tf.concat(sizes, tf.constant(0));
      xs.addAll(tf.splitV(x, sizeSplits, tf.constant(1), (long) parts).output());
      if (initialState != null) {
        h0.addAll(tf.splitV(initialState.get(0), sizeSplits, tf.constant(0), (long) parts).output());
        c0.addAll(tf.splitV(initialState.get(1), sizeSplits, tf.constant(0), (long) parts).output());
      }
    }
    List<Operand<TFloat32>> hs = new ArrayList<>();
    List<Operand<TFloat32>> lastH = new ArrayList<>();
    List<Operand<TFloat32>> lastC = new ArrayList<>();
    for (int p = 0; p < xs.size(); p++) {
      Operand<TFloat32> xi = xs.get(p);
      Operand<TFloat32> cPrev;
      Operand<TFloat32> hPrev;
      if (initialState == null) {
        Operand<TInt32> rows = parts == 1 ? b
            : Shapes.dims(tf, xi, 1, 1);
        cPrev = zeros(tf, rows, units);
        hPrev = cPrev;
      } else {
        cPrev = c0.get(p);
        hPrev = h0.get(p);
      }
      // cell_clip <= 0 disables clipping.
      BlockLSTM<TFloat32> op = tf.nn.blockLSTM(tf.constant(timesteps), xi, cPrev, hPrev, weights, peephole, peephole,
          peephole, bias, BlockLSTM.cellClip(0f), BlockLSTM.usePeephole(false));
      hs.add(op.h());
      lastH.add(lastStep(tf, op.h(), timesteps));
      lastC.add(lastStep(tf, op.cs(), timesteps));
    }
    // The whole sequence is joined only if a caller uses it (returnSequences): unused ops are never run.
    return new Unrolled(null, joinRows(tf, hs, 1), List.of(joinRows(tf, lastH, 0), joinRows(tf, lastC, 0)));
  }

  private static Operand<TFloat32> joinRows(Ops tf, List<Operand<TFloat32>> parts, int axis) {
    return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(axis));
  }

  /**
   * In how many batch slices the fused LSTM runs: one per core (at most {@value #MAX_BATCH_PARTS}) on the CPU,
   * one on a GPU. TensorFlow's CPU {@code BlockLSTMV2} kernel runs its time loop on one thread, so one op over the
   * whole batch uses one core; independent ops over slices of the batch run side by side on TensorFlow's inter-op
   * threads. The rows of an LSTM do not interact, so the result is the same, and the weights' gradients are the
   * sums over the slices.
   */
  static int batchParts() {
    if (batchPartsOverride > 0) {
      return batchPartsOverride;
    }
    String device = io.github.keras4j.graph.SessionSettings.device();
    if (device.equals("gpu") || (device.equals("auto") && GpuCheck.AVAILABLE)) {
      return 1;
    }
    return Math.max(1, Math.min(MAX_BATCH_PARTS, Runtime.getRuntime().availableProcessors()));
  }

  static final int MAX_BATCH_PARTS = 8;

  /** Tests set a fixed number of batch slices here (0: the default rule). */
  static volatile int batchPartsOverride;

  /** Whether this process can run ops on a GPU, checked once, when first needed. */
  private static final class GpuCheck {
    static final boolean AVAILABLE = io.github.keras4j.graph.SessionSettings.gpuAvailable();
  }

  /**
   * Step {@code timesteps - 1} of a time-major {@code (timesteps, batch, units)} tensor, by Slice (whose gradient, a
   * Pad, is cheaper than Gather's UnsortedSegmentSum).
   */
  private static Operand<TFloat32> lastStep(Ops tf, Operand<TFloat32> seq, long timesteps) {
    // int32 begin and size: the C++ gradient of Slice fails on int64 ones.
    Operand<TFloat32> slice = tf.slice(seq, tf.constant(new int[] {(int) timesteps - 1, 0, 0}),
        tf.constant(new int[] {1, -1, -1}));
    return tf.squeeze(slice, Squeeze.axis(0L));
  }

  /**
   * A {@code resetAfter=false} GRU over {@code inputs}, one {@code GRUBlockCell} op per step. Keras's columns
   * {@code z, r, h} of {@code [kernel; recurrent_kernel]} become the cell's {@code w_ru = [r, z]} and
   * {@code w_c = h}; the bias {@code [b_z, b_r, b_h]} becomes {@code b_ru = [b_r, b_z]}, {@code b_c = b_h} (zeros
   * without bias). The cell's update gate {@code u} is Keras's {@code z}: {@code h' = u * h + (1 - u) * c}. Starts
   * from the initial state {@code [h]}, or zeros for null.
   */
  static Unrolled gru(Ops tf, Operand<TFloat32> inputs, CellWeights w, int units, boolean backwards,
      List<Operand<TFloat32>> initialState) {
    int timesteps = (int) inputs.shape().get(1);
    Operand<TFloat32> full = tf.concat(List.of(w.kernel().value(), w.recurrentKernel().value()), tf.constant(0));
    List<? extends Operand<TFloat32>> cols = tf.split(tf.constant(1), full, 3L).output();
    Operand<TFloat32> wRu = tf.concat(List.of(cols.get(1), cols.get(0)), tf.constant(1));
    Operand<TFloat32> wC = cols.get(2);
    Operand<TFloat32> bias = w.bias() != null ? w.bias().value() : tf.zeros(tf.constant(new long[] {3L * units}),
        TFloat32.class);
    List<? extends Operand<TFloat32>> b = tf.split(tf.constant(0), bias, 3L).output();
    Operand<TFloat32> bRu = tf.concat(List.of(b.get(1), b.get(0)), tf.constant(0));
    Operand<TFloat32> bC = b.get(2);
    List<? extends Operand<TFloat32>> xs = tf.unstack(inputs, (long) timesteps, Unstack.axis(1L)).output();
    Operand<TFloat32> h = initialState == null ? zeroState(tf, inputs, units) : initialState.get(0);
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int i = 0; i < timesteps; i++) {
      h = tf.nn.gRUBlockCell(xs.get(backwards ? timesteps - 1 - i : i), h, wRu, wC, bRu, bC).h();
      outputs.add(h);
    }
    return new Unrolled(outputs, null, List.of(h));
  }


  /** Zeros of shape {@code (batch, units)}. */
  private static Operand<TFloat32> zeroState(Ops tf, Operand<TFloat32> inputs, int units) {
    return zeros(tf, Shapes.dims(tf, inputs, 0, 1), units);
  }

  /** Zeros of shape {@code (rows, units)}, {@code rows} a 1-element vector. */
  private static Operand<TFloat32> zeros(Ops tf, Operand<TInt32> rows, int units) {
    return tf.fill(tf.concat(List.of(rows, tf.constant(new int[] {units})), tf.constant(0)), tf.constant(0f));
  }
}
