package io.github.keras4j.layers;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * How string tensors travel through Keras4J's layer API, whose operands are typed {@code Operand<TFloat32>}.
 *
 * <p>A model input declared with {@link Input#ofStrings} is a TensorFlow string placeholder. The engine passes it to
 * the layers it feeds as an {@code Operand<TFloat32>} reference that really holds a {@code TString} operand (the Java
 * type parameter is erased at run time; the TensorFlow dtype is the operand's own). Only layers whose
 * {@link Layer#inputDtype()} is {@link KerasTensor#STRING} receive such an operand (the model checks this when the
 * layer is applied), and they unwrap it with {@link #strings}. A layer whose {@link Layer#outputDtype()} is string
 * returns its string result wrapped with {@link #carry}.
 */
public final class StringTensors {

  private StringTensors() {}

  /** A string operand in the {@code Operand<TFloat32>} form layers pass around (see the class comment). */
  @SuppressWarnings("unchecked")
  public static Operand<TFloat32> carry(Operand<TString> strings) {
    return (Operand<TFloat32>) (Operand<?>) strings;
  }

  /** Whether {@code operand} really holds strings. */
  public static boolean isStrings(Operand<?> operand) {
    return operand.type() == TString.class;
  }

  /**
   * The string operand carried by {@code operand}.
   *
   * @param owner the layer's description for the message
   * @throws IllegalArgumentException naming the owner when the operand holds numbers
   */
  @SuppressWarnings("unchecked")
  public static Operand<TString> strings(Operand<TFloat32> operand, String owner) {
    if (!isStrings(operand)) {
      throw new IllegalArgumentException(owner + " takes string inputs, but received a tensor of type "
          + operand.type().getSimpleName() + ". Declare the model input with Input.ofStrings(...)");
    }
    return (Operand<TString>) (Operand<?>) operand;
  }
}
