package io.github.keras4j.layers.rnn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What one time step of a recurrent layer needs besides its projected input: the recurrent kernel (whole and
 * split by gate along its last axis), GRU's recurrent bias, the recurrent dropout masks of a training call, and how
 * a state is multiplied by the kernel (a {@code MatMul}, or {@link ConvLSTM}'s convolution).
 *
 * <p>{@link BaseRnn#unroll} makes one context per unrolled sequence and gives it to every
 * {@link BaseRnn#step step}, so the masks are the same at every time step (as Keras's cached masks). Without
 * recurrent dropout (or in inference) {@link #masked} returns the state itself and {@link #project(Ops, Operand)}
 * is one {@code MatMul} (or one convolution).
 */
public final class StepContext {

  /** A state times a recurrent kernel: {@link BaseRnn#recurrentProjection}. */
  @FunctionalInterface
  interface Projection {
    /** {@code state} times {@code kernel}. */
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> state, Operand<TFloat32> kernel);
  }

  private final Operand<TFloat32> recurrentKernel;
  private final List<Operand<TFloat32>> kernelGates;
  private final Operand<TFloat32> recurrentBias;
  private final List<Operand<TFloat32>> masks;
  private final Projection projection;

  /**
   * @param recurrentKernel the {@code (units, gates * units)} recurrent kernel
   * @param gates the number of gates (1, 3 or 4)
   * @param recurrentBias GRU's reset-after recurrent bias {@code (3 * units)}, or null
   * @param masks no mask, one mask for every gate, or one per gate, each of a state's shape
   * @param projection how a state is multiplied by the recurrent kernel or one gate's slice of it
   */
  StepContext(Ops tf, Operand<TFloat32> recurrentKernel, int gates, Operand<TFloat32> recurrentBias,
      List<Operand<TFloat32>> masks, Projection projection) {
    this.recurrentKernel = recurrentKernel;
    int lastAxis = recurrentKernel.shape().numDimensions() - 1;
    this.kernelGates = gates == 1 ? List.of(recurrentKernel)
        : List.copyOf(tf.split(tf.constant(lastAxis), recurrentKernel, (long) gates).output());
    this.recurrentBias = recurrentBias;
    this.masks = List.copyOf(masks);
    this.projection = projection;
  }

  /**
   * The previous state times the whole recurrent kernel, {@code (batch, gates * units)} (ConvLSTM: {@code (batch,
   * ..., gates * filters)}); with recurrent dropout, each gate's slice is computed from the state under that gate's
   * mask (Keras's implementation 1).
   */
  public Operand<TFloat32> project(Ops tf, Operand<TFloat32> h) {
    if (masks.isEmpty()) {
      return projection.apply(tf, h, recurrentKernel);
    }
    if (kernelGates.size() == 1) {
      return project(tf, h, 0);
    }
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (int g = 0; g < kernelGates.size(); g++) {
      parts.add(project(tf, h, g));
    }
    return tf.concat(parts, tf.constant(h.shape().numDimensions() - 1));
  }

  /** The previous state (under gate {@code gate}'s mask) times that gate's slice of the kernel, {@code (batch, units)}. */
  public Operand<TFloat32> project(Ops tf, Operand<TFloat32> h, int gate) {
    return projection.apply(tf, masked(tf, h, gate), kernel(gate));
  }

  /** The state under gate {@code gate}'s recurrent dropout mask; the state itself without recurrent dropout. */
  public Operand<TFloat32> masked(Ops tf, Operand<TFloat32> h, int gate) {
    if (masks.isEmpty()) {
      return h;
    }
    return tf.math.mul(h, masks.get(masks.size() == 1 ? 0 : gate));
  }

  /** Gate {@code gate}'s {@code (units, units)} slice of the recurrent kernel (split along its last axis). */
  public Operand<TFloat32> kernel(int gate) {
    return kernelGates.get(gate);
  }

  /** GRU's reset-after recurrent bias {@code (3 * units)}, or null. */
  public Operand<TFloat32> recurrentBias() {
    return recurrentBias;
  }
}
