package io.github.keras4j.layers;

/**
 * Creates the symbolic input of a functional model, as {@code keras.Input}.
 *
 * <pre>{@code
 * KerasTensor inputs = Input.of(784);
 * KerasTensor x = new Dense(64, "relu").apply(inputs);
 * KerasTensor outputs = new Dense(10, "softmax").apply(x);
 * Model model = new Model(inputs, outputs);
 * }</pre>
 */
public final class Input {

  private Input() {}

  /** An input with the given per-sample shape (no batch dimension): {@code Input.of(28, 28, 1)}. */
  public static KerasTensor of(long... shape) {
    return new InputLayer(shape).output();
  }

  /** A named input; the name is used for feeds and for the exported signature. */
  public static KerasTensor of(String name, long... shape) {
    return new InputLayer(name, shape).output();
  }

  /**
   * A string input, as {@code keras.Input(shape, dtype="string")}: fit, evaluate and predict feed it Java string
   * arrays, samples first ({@code String[]} for {@code Input.ofStrings()}, {@code String[][]} with one column for
   * {@code Input.ofStrings(1)}), and only text preprocessing layers ({@code StringLookup}, {@code TextVectorization})
   * take it.
   *
   * <pre>{@code
   * KerasTensor text = Input.ofStrings(1);                 // fed String[][] {{"the cat"}, {"a dog"}}
   * KerasTensor ids = vectorizer.apply(text);
   * }</pre>
   */
  public static KerasTensor ofStrings(long... shape) {
    return new InputLayer(null, KerasTensor.STRING, shape).output();
  }

  /** A named string input; see {@link #ofStrings(long...)}. */
  public static KerasTensor ofStrings(String name, long... shape) {
    return new InputLayer(name, KerasTensor.STRING, shape).output();
  }
}
