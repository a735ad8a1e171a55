package io.github.keras4j.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.Conv3dBackpropFilter;
import org.tensorflow.op.nn.Conv3dBackpropInput;
import org.tensorflow.types.TFloat32;

/**
 * Gradients of TensorFlow's 3-D convolution ops (used by the {@code Conv3D} and {@code Conv3DTranspose} layers),
 * which its C++ gradient registry lacks (TF 2.18), registered by {@link CustomGradients#registerAll()} (the same
 * formulas as TensorFlow's Python {@code nn_grad.py}):
 *
 * <ul>
 *   <li>{@code Conv3D(x, w) -> y}: {@code dx = Conv3DBackpropInputV2(shape(x), w, dy)},
 *       {@code dw = Conv3DBackpropFilterV2(x, shape(w), dy)};
 *   <li>{@code Conv3DBackpropInputV2(sizes, w, g) -> y}: nothing for the integer {@code sizes} (zeros),
 *       {@code dw = Conv3DBackpropFilterV2(dy, shape(w), g)}, {@code dg = Conv3D(dy, w)}.
 * </ul>
 *
 * <p>Strides, padding and dilations are those of the forward op. The backprop ops themselves have no gradient, so
 * second derivatives are not available.
 */
final class Conv3DGradients {

  private static boolean registered;

  private Conv3DGradients() {}

  /** Registers both gradients; safe to call many times (a gradient already known to TensorFlow is kept). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static synchronized void register() {
    if (registered) {
      return;
    }
    TensorFlow.registerCustomGradient(Conv3d.Inputs.class, (tf, op, grads) -> {
      Operand<TFloat32> dy = (Operand<TFloat32>) grads.get(0);
      Operand<TFloat32> x = (Operand<TFloat32>) op.input;
      Operand<TFloat32> w = (Operand<TFloat32>) op.filter;
      List<Long> strides = toList(op.strides);
      Operand dx = tf.nn.conv3dBackpropInput(tf.shape(x), w, dy, strides, op.padding,
          Conv3dBackpropInput.dilations(toList(op.dilations)));
      Operand dw = tf.nn.conv3dBackpropFilter(x, tf.shape(w), dy, strides, op.padding,
          Conv3dBackpropFilter.dilations(toList(op.dilations)));
      return List.of(dx, dw);
    });
    TensorFlow.registerCustomGradient(Conv3dBackpropInput.Inputs.class, (tf, op, grads) -> {
      Operand<TFloat32> dy = (Operand<TFloat32>) grads.get(0);
      Operand<TFloat32> w = (Operand<TFloat32>) op.filter;
      Operand<TFloat32> g = (Operand<TFloat32>) op.outBackprop;
      List<Long> strides = toList(op.strides);
      Operand dSizes = tf.zerosLike(op.inputSizes);
      Operand dw = tf.nn.conv3dBackpropFilter(dy, tf.shape(w), g, strides, op.padding,
          Conv3dBackpropFilter.dilations(toList(op.dilations)));
      Operand dg = tf.nn.conv3d(dy, w, strides, op.padding, Conv3d.dilations(toList(op.dilations)));
      return List.of(dSizes, dw, dg);
    });
    registered = true;
  }

  private static List<Long> toList(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }
}
