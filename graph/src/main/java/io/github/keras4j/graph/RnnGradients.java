package io.github.keras4j.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.op.nn.GRUBlockCell;
import org.tensorflow.op.nn.GRUBlockCellGrad;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Gradients of TensorFlow's fused recurrent ops, which the C++ gradient registry lacks, wired as Python TensorFlow
 * wires them; registered by {@link CustomGradients#registerAll()}.
 *
 * <h2>BlockLSTMV2 (TF Java's {@code BlockLSTM} class)</h2>
 * The whole LSTM recurrence over a time-major sequence in one op. Its gradient is one {@code BlockLSTMGradV2} op (TF
 * Java's {@code BlockLSTMGrad} class), given the forward op's inputs and outputs and the upstream gradients of the
 * outputs {@code cs} (cell states) and {@code h} (outputs), zeros where an output received none; the gradients of
 * the other outputs ({@code i, f, o, ci, co}) are ignored and {@code seq_len_max} gets a zero gradient, as Python's
 * {@code _block_lstm_grad} ({@code tensorflow/python/ops/rnn_grad.py}). V2 lays the four gates out as
 * {@code i, f, c, o} (Keras's order; V1 uses {@code i, c, f, o}), has no {@code forget_bias}, and clips the cell
 * state only when {@code cell_clip > 0} (the gradient ignores clipping: use it unclipped). Over an empty batch
 * (zero rows) the CPU kernel leaves the weight gradients unset, so they are replaced by zeros there.
 *
 * <h2>GRUBlockCell</h2>
 * One GRU step, {@code [r, u] = σ([x, h] . w_ru + b_ru)}, {@code c = tanh([x, r * h] . w_c + b_c)},
 * {@code h' = u * h + (1 - u) * c}. {@code GRUBlockCellGrad} gives the gradients of the inputs and of the
 * pre-activations {@code d_c_bar}, {@code d_r_bar_u_bar}; the weight gradients are the products with the
 * concatenated inputs ({@code [x, h]ᵀ . d_r_bar_u_bar}, {@code [x, r * h]ᵀ . d_c_bar}) and the bias gradients their
 * column sums, as Python's {@code _GRUBlockCellGrad} ({@code tensorflow/python/ops/gru_ops.py}). Only the gradient
 * of the output {@code h} is used, as there.
 */
public final class RnnGradients {

  private RnnGradients() {}

  /** Registers both gradients; call once per process, before graphs are built ({@link CustomGradients} does). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void register() {
    TensorFlow.registerCustomGradient(BlockLSTM.Inputs.class, (tf, op, grads) -> {
      BlockLSTM.Inputs<TFloat32> in = op;
      BlockLSTM<TFloat32> out = (BlockLSTM<TFloat32>) op.getOutputs();
      Operand<TFloat32> csGrad = orZeros(tf, (Operand<TFloat32>) grads.get(1), out.cs());
      Operand<TFloat32> hGrad = orZeros(tf, (Operand<TFloat32>) grads.get(6), out.h());
      BlockLSTMGrad<TFloat32> g = tf.nn.blockLSTMGrad(in.seqLenMax, in.x, in.csPrev, in.hPrev, in.w, in.wci, in.wcf,
          in.wco, in.b, out.i(), out.cs(), out.f(), out.o(), out.ci(), out.co(), out.h(), csGrad, hGrad,
          in.usePeephole);
      // Over an empty batch the kernel leaves the weights' gradients unset (not zero): give zeros.
      Operand<TBool> rows = tf.math.greater(tf.size(in.x), tf.constant(0));
      return List.of((Operand) tf.zerosLike(in.seqLenMax), g.xGrad(), g.csPrevGrad(), g.hPrevGrad(),
          tf.select(rows, g.wGrad(), tf.zerosLike(in.w)), tf.select(rows, g.wciGrad(), tf.zerosLike(in.wci)),
          tf.select(rows, g.wcfGrad(), tf.zerosLike(in.wcf)), tf.select(rows, g.wcoGrad(), tf.zerosLike(in.wco)),
          tf.select(rows, g.bGrad(), tf.zerosLike(in.b)));
    });
    TensorFlow.registerCustomGradient(GRUBlockCell.Inputs.class, (tf, op, grads) -> {
      GRUBlockCell.Inputs<TFloat32> in = op;
      GRUBlockCell<TFloat32> out = (GRUBlockCell<TFloat32>) op.getOutputs();
      Operand<TFloat32> dH = orZeros(tf, (Operand<TFloat32>) grads.get(3), out.h());
      GRUBlockCellGrad<TFloat32> g = tf.nn.gRUBlockCellGrad(in.x, in.hPrev, in.wRu, in.wC, in.bRu, in.bC, out.r(),
          out.u(), out.c(), dH);
      Operand<TFloat32> xh = tf.concat(List.of(in.x, in.hPrev), tf.constant(1));
      Operand<TFloat32> xhr = tf.concat(List.of(in.x, tf.math.mul(in.hPrev, out.r())), tf.constant(1));
      Operand<TFloat32> dWRu = tf.linalg.matMul(xh, g.dRBarUBar(), MatMul.transposeA(true));
      Operand<TFloat32> dWC = tf.linalg.matMul(xhr, g.dCBar(), MatMul.transposeA(true));
      return List.of((Operand) g.dX(), g.dHPrev(), dWRu, dWC, tf.nn.biasAddGrad(g.dRBarUBar()),
          tf.nn.biasAddGrad(g.dCBar()));
    });
  }

  /** The upstream gradient, or zeros shaped like {@code output} where none reached it. */
  private static Operand<TFloat32> orZeros(Ops tf, Operand<TFloat32> grad, Operand<TFloat32> output) {
    return grad != null ? grad : tf.zerosLike(output);
  }
}
