package io.github.keras4j.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * The gradient of TensorFlow's image resampling op {@code ImageProjectiveTransformV3} (used by the affine
 * augmentation layers), which the C++ gradient registry lacks, written as Python TensorFlow 2.18 writes it
 * ({@code _image_projective_transform_v3_grad} in {@code tensorflow/python/ops/image_ops.py}); registered by
 * {@link CustomGradients#registerAll()}.
 *
 * <p>The op maps each output pixel {@code (x, y)} through a row {@code [a0, a1, a2, b0, b1, b2, c0, c1]} of
 * {@code transforms} to the input point {@code ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)},
 * {@code k = c0 x + c1 y + 1}, and samples the image there. Its gradient with respect to {@code images} is the same
 * op applied to the upstream gradient with the inverted transforms: each row as the matrix
 * {@code [[a0, a1, a2], [b0, b1, b2], [c0, c1, 1]]}, inverted, divided by its {@code [2, 2]} entry and flattened
 * back to 8 numbers; output size the height and width of {@code images}; the same interpolation and fill mode;
 * fill value 0. {@code transforms}, {@code output_shape} and {@code fill_value} get zero gradients (Python
 * TensorFlow gives them none).
 *
 * <p>This is TensorFlow's approximation of the transpose of the resampling, not the transpose itself. It is exact
 * when the resampling selects whole pixels one-to-one and the points outside the image read the constant fill
 * ({@code fill_mode="constant"}): transforms that map the pixel grid onto itself, such as whole-pixel translations,
 * half turns about a pixel centre or the image centre, and flips, with either interpolation (at integer points the
 * bilinear weights are 0 and 1). There the resampling is a partial permutation matrix and the inverse transform
 * reads, for each input pixel, the one output pixel that read it (or the fill, 0, where none did): its transpose.
 * In general it is not exact:
 * <ul>
 *   <li>bilinear resampling at fractional points (rotations by other angles, zooms): the transpose scatters each
 *       output pixel's gradient to the four input pixels around the point it read, with the bilinear weights, while
 *       TensorFlow's gradient gathers, for each input pixel, the bilinear interpolation of the upstream gradient at
 *       the inverse-mapped point. The weights differ, and the totals too: for a zoom whose output pixels read the
 *       input at {@code s} times their distance from the centre, TensorFlow's total is about {@code s^2} times the
 *       transpose's (a quarter for a 2x zoom in, {@code s = 0.5}); rotations keep it about equal;
 *   <li>fill modes {@code "reflect"}, {@code "wrap"} and {@code "nearest"}: near the edges, an input pixel read by
 *       several output pixels gets the gradient of one only, and one read by none can get one.
 * </ul>
 * Keras on TensorFlow 2.18 trains with this same gradient, so models with augmentation layers after trainable
 * layers train as they do there.
 */
public final class ImageGradients {

  private ImageGradients() {}

  /** Registers the gradient; call once per process, before graphs are built ({@link CustomGradients} does). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void register() {
    TensorFlow.registerCustomGradient(ImageProjectiveTransformV3.Inputs.class, (tf, op, grads) -> {
      ImageProjectiveTransformV3.Inputs<TNumber> in = op;
      Operand upstream = grads.get(0);
      Operand<TInt32> size = Shapes.dims(tf, in.images, 1, 2);
      Operand imagesGrad = tf.image.imageProjectiveTransformV3(upstream, inverse(tf, in.transforms), size,
          tf.constant(0f), in.interpolation, ImageProjectiveTransformV3.fillMode(in.fillMode));
      return List.of(imagesGrad, tf.zerosLike(in.transforms), tf.zerosLike(in.outputShape),
          tf.zerosLike(in.fillValue));
    });
  }

  /**
   * The flat 8-number transforms {@code (n, 8)} (or one of 8) inverted as 3x3 matrices with last entry 1, as Python
   * TensorFlow's {@code flat_transforms_to_matrices}, {@code matrix_inverse} and
   * {@code matrices_to_flat_transforms}: {@code (n, 8)}.
   */
  static Operand<TFloat32> inverse(Ops tf, Operand<TFloat32> transforms) {
    Operand<TFloat32> flat = tf.reshape(transforms, tf.constant(new int[] {-1, 8}));
    Operand<TFloat32> ones = tf.onesLike(
        tf.slice(flat, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1})));
    Operand<TFloat32> matrices = tf.reshape(tf.concat(List.of(flat, ones), tf.constant(1)),
        tf.constant(new int[] {-1, 3, 3}));
    Operand<TFloat32> inverse = tf.reshape(tf.linalg.inv(matrices), tf.constant(new int[] {-1, 9}));
    Operand<TFloat32> last = tf.slice(inverse, tf.constant(new int[] {0, 8}), tf.constant(new int[] {-1, 1}));
    return tf.slice(tf.math.div(inverse, last), tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 8}));
  }
}
