package io.github.keras4j.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.core.OnesLike;
import org.tensorflow.op.core.ZerosLike;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.TFloat32;

/**
 * Gradients that TensorFlow's C++ registry lacks, registered once per process before any graph is built.
 *
 * <p>SparseSoftmaxCrossEntropyWithLogits: the gradient of the per-example loss with respect to the logits is
 * the op's own second output ({@code backprop} = softmax - onehot), scaled by the upstream gradient of each
 * example; the integer labels get no gradient (a zero tensor of their shape).
 *
 * <p>OnesLike and ZerosLike: constant in their input, so its gradient is zero. Without these, a loss such as
 * {@code bce(onesLike(d), d)} (a GAN's "real" labels) fails with "No gradient defined for op: OnesLike".
 *
 * <p>BlockLSTMV2 and GRUBlockCell, TensorFlow's fused recurrent kernels: see {@link RnnGradients}.
 *
 * <p>Conv3D and Conv3DBackpropInputV2 (the 3-D convolution layers): see {@link Conv3DGradients}.
 *
 * <p>ImageProjectiveTransformV3, the resampling op of the affine augmentation layers: Python TensorFlow's gradient
 * (the upstream gradient resampled with the inverted transforms, fill 0), see {@link ImageGradients}. It is the
 * exact transpose only when the resampling selects whole pixels one-to-one (for instance whole-pixel translations or
 * half turns with constant fill); for bilinear resampling at fractional points (rotations, zooms) and near the edges
 * with the other fill modes it is TensorFlow's approximation, which Keras on TensorFlow trains with too.
 */
public final class CustomGradients {

  private static boolean registered;

  private CustomGradients() {}

  /** Registers every custom gradient; safe to call many times. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static synchronized void registerAll() {
    if (registered) {
      return;
    }
    TensorFlow.registerCustomGradient(
        SparseSoftmaxCrossEntropyWithLogits.Inputs.class,
        (tf, op, gradInputs) -> {
          SparseSoftmaxCrossEntropyWithLogits<TFloat32> outputs =
              (SparseSoftmaxCrossEntropyWithLogits<TFloat32>) op.getOutputs();
          Operand<TFloat32> upstream = (Operand<TFloat32>) gradInputs.get(0);
          Operand<TFloat32> dLogits =
              tf.math.mul(tf.expandDims(upstream, tf.constant(-1)), outputs.backprop());
          Operand labelsGrad = tf.zerosLike(op.labels);
          return List.of(dLogits, labelsGrad);
        });
    TensorFlow.registerCustomGradient(OnesLike.Inputs.class,
        (tf, op, gradInputs) -> List.of((Operand) tf.zerosLike(op.x)));
    TensorFlow.registerCustomGradient(ZerosLike.Inputs.class,
        (tf, op, gradInputs) -> List.of((Operand) tf.zerosLike(op.x)));
    RnnGradients.register();
    ImageGradients.register();
    Conv3DGradients.register();
    registered = true;
  }
}
