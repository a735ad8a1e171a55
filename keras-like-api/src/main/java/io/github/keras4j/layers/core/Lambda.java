package io.github.keras4j.layers.core;

import io.github.keras4j.graph.Shapes;
import io.github.keras4j.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Wraps a Java function over TensorFlow ops as a layer, as {@code keras.layers.Lambda}.
 *
 * <p>The function gets the layer's {@link Ops} (scoped under the layer's name) and the input operand, or the
 * list of input operands for the multi-input form, and returns the output operand. A Lambda has no weights;
 * for anything with state, or that needs the {@code training} flag, subclass {@link Layer} instead.
 *
 * <p>The output shape is, in this order: a fixed per-sample shape given with {@code outputShape} (the batch
 * size of the first input is put in front); a function of the input shape(s), batch axis included; or, when
 * neither is given, inferred as Keras's {@code compute_output_spec} does, by tracing the function once on
 * placeholders of the input shapes in a scratch TensorFlow graph.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(3);
 * KerasTensor squared = new Lambda((tf, t) -> tf.math.square(t)).apply(x);          // (None, 3)
 * KerasTensor sum = Lambda.ofList((tf, ts) -> tf.math.add(ts.get(0), ts.get(1))).apply(List.of(x, squared));
 * Lambda.builder((tf, t) -> tf.reduceSum(t, tf.constant(1))).outputShape().name("total").build();  // (None,)
 * }</pre>
 *
 * <p>Java differences from Keras: the single- and multi-input forms have their own function types
 * ({@link TensorFunction}, {@link TensorListFunction}); there are no {@code mask} and {@code arguments}
 * settings (capture values in the Java lambda instead); when {@code outputShape} is given, the real output is
 * checked against it when the layer is traced. Like Keras's Lambda, the layer cannot be restored from its
 * config: {@link #getConfig()} reports the function as not serializable.
 */
public class Lambda extends Layer {

  /** The config value standing for a Java function, which cannot be serialized. */
  public static final String NOT_SERIALIZABLE = "<Java function: not serializable>";

  /** A function of one input: {@code (tf, x) -> tf.math.square(x)}. */
  @FunctionalInterface
  public interface TensorFunction {
    /** Builds the output from {@code x} with the ops of {@code tf}. */
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
  }

  /** A function of several inputs: {@code (tf, xs) -> tf.math.add(xs.get(0), xs.get(1))}. */
  @FunctionalInterface
  public interface TensorListFunction {
    /** Builds the output from the inputs {@code xs} with the ops of {@code tf}. */
    Operand<TFloat32> apply(Ops tf, List<Operand<TFloat32>> xs);
  }

  private final TensorFunction single;
  private final TensorListFunction multi;
  private final Shape outputSampleShape;
  private final Function<List<Shape>, Shape> outputShapeFunction;

  /** A single-input Lambda whose output shape is inferred. */
  public Lambda(TensorFunction function) {
    this(builder(function));
  }

  /**
   * A single-input Lambda with a fixed output shape.
   *
   * @param outputShape the per-sample output shape, without the batch axis
   */
  public Lambda(TensorFunction function, Shape outputShape) {
    this(builder(function).outputShape(outputShape));
  }

  private Lambda(Builder b) {
    super(b.name);
    if (b.single == null && b.multi == null) {
      throw new IllegalArgumentException("Lambda: a function is required. Received: function=null");
    }
    if (b.multi != null && b.singleShapeFunction != null) {
      throw new IllegalArgumentException("Lambda '" + name() + "': a multi-input Lambda takes its output shape "
          + "function through outputShapeOfList(...), which receives the list of input shapes");
    }
    this.single = b.single;
    this.multi = b.multi;
    this.outputSampleShape = b.outputSampleShape;
    if (b.singleShapeFunction != null) {
      UnaryOperator<Shape> f = b.singleShapeFunction;
      this.outputShapeFunction = shapes -> f.apply(shapes.get(0));
    } else {
      this.outputShapeFunction = b.listShapeFunction;
    }
  }

  /** A multi-input Lambda, called with {@code apply(List.of(a, b, ...))}, whose output shape is inferred. */
  public static Lambda ofList(TensorListFunction function) {
    return listBuilder(function).build();
  }

  /** A builder for a single-input Lambda. */
  public static Builder builder(TensorFunction function) {
    return new Builder(Objects.requireNonNull(function, "function"), null);
  }

  /** A builder for a multi-input Lambda. */
  public static Builder listBuilder(TensorListFunction function) {
    return new Builder(null, Objects.requireNonNull(function, "function"));
  }

  /** Whether the function takes the list of inputs. */
  public boolean isMultiInput() {
    return multi != null;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return computeOutputShape(List.of(inputShape));
  }

  @Override
  public Shape computeOutputShape(List<Shape> inputShapes) {
    checkInputCount(inputShapes.size());
    if (outputSampleShape != null) {
      long[] dims = new long[outputSampleShape.numDimensions() + 1];
      dims[0] = inputShapes.get(0).numDimensions() > 0 ? inputShapes.get(0).get(0) : Shape.UNKNOWN_SIZE;
      System.arraycopy(outputSampleShape.asArray(), 0, dims, 1, dims.length - 1);
      return Shape.of(dims);
    }
    if (outputShapeFunction != null) {
      Shape s = outputShapeFunction.apply(List.copyOf(inputShapes));
      if (s == null || s.isUnknown()) {
        throw new IllegalArgumentException("Layer '" + name() + "': the outputShape function returned "
            + Shapes.format(s) + " for input shapes " + formatAll(inputShapes) + "; it must return a known-rank shape");
      }
      return s;
    }
    return inferOutputShape(inputShapes);
  }

  /** Traces the function once on placeholders in a scratch graph and reads the static output shape. */
  private Shape inferOutputShape(List<Shape> inputShapes) {
    Shape out;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> placeholders = new ArrayList<>();
      for (int i = 0; i < inputShapes.size(); i++) {
        placeholders.add(tf.withName("input_" + i).placeholder(TFloat32.class, Placeholder.shape(inputShapes.get(i))));
      }
      Operand<TFloat32> y = run(tf.withSubScope(name()), placeholders);
      out = y.shape().isUnknown() ? null : Shape.of(y.shape().asArray());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Layer '" + name() + "': we could not automatically infer the shape of the "
          + "Lambda's output for input shapes " + formatAll(inputShapes) + ". Please specify the `outputShape` "
          + "argument for this Lambda layer. Cause: " + e, e);
    }
    if (out == null) {
      throw new IllegalArgumentException("Layer '" + name() + "': we could not automatically infer the shape of the "
          + "Lambda's output (its rank is unknown) for input shapes " + formatAll(inputShapes)
          + ". Please specify the `outputShape` argument for this Lambda layer.");
    }
    return out;
  }

  /** No weights. */
  @Override
  protected void build(Ops tf, List<Shape> inputShapes) {}

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return call(tf, List.of(inputs), training);
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, List<Operand<TFloat32>> inputs, boolean training) {
    Operand<TFloat32> y = run(tf, inputs);
    if (outputSampleShape != null || outputShapeFunction != null) {
      List<Shape> shapes = new ArrayList<>();
      inputs.forEach(x -> shapes.add(x.shape()));
      Shape expected = computeOutputShape(shapes);
      if (!Shapes.compatible(expected, y.shape())) {
        throw new IllegalArgumentException("Layer '" + name() + "': the function returned a tensor of shape "
            + Shapes.format(y.shape()) + " but the `outputShape` argument gives " + Shapes.format(expected)
            + " for input shapes " + formatAll(shapes));
      }
    }
    return y;
  }

  private Operand<TFloat32> run(Ops tf, List<Operand<TFloat32>> inputs) {
    checkInputCount(inputs.size());
    Operand<TFloat32> y = multi != null ? multi.apply(tf, List.copyOf(inputs)) : single.apply(tf, inputs.get(0));
    if (y == null) {
      throw new IllegalStateException("Layer '" + name() + "': the Lambda's function returned null");
    }
    return y;
  }

  private void checkInputCount(int n) {
    if (multi == null && n != 1) {
      throw new IllegalArgumentException("Layer '" + name() + "' wraps a single-input function but was called on "
          + n + " inputs; create it with Lambda.ofList(...) or Lambda.listBuilder(...) to take a list of inputs");
    }
  }

  private static String formatAll(List<Shape> shapes) {
    List<String> parts = new ArrayList<>();
    shapes.forEach(s -> parts.add(format(s)));
    return shapes.size() == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]";
  }

  /**
   * Keras's keys: {@code function} (here always {@link #NOT_SERIALIZABLE}: a Java function cannot be saved,
   * much as Keras refuses to load a Python lambda in safe mode) and {@code output_shape} when given (a
   * per-sample shape as a tuple string such as {@code (3,)}, or {@link #NOT_SERIALIZABLE} for a function).
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("function", NOT_SERIALIZABLE);
    if (outputSampleShape != null) {
      c.put("output_shape", Shapes.format(outputSampleShape));
    } else if (outputShapeFunction != null) {
      c.put("output_shape", NOT_SERIALIZABLE);
    }
    return c;
  }

  /** Optional settings of {@link Lambda}. */
  public static final class Builder {
    private final TensorFunction single;
    private final TensorListFunction multi;
    private String name;
    private Shape outputSampleShape;
    private UnaryOperator<Shape> singleShapeFunction;
    private Function<List<Shape>, Shape> listShapeFunction;

    private Builder(TensorFunction single, TensorListFunction multi) {
      this.single = single;
      this.multi = multi;
    }

    /** The layer's name; by default {@code lambda}, {@code lambda_1}, ... */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** A fixed per-sample output shape, without the batch axis: {@code outputShape(3)} gives {@code (None, 3)}. */
    public Builder outputShape(long... sampleShape) {
      return outputShape(Shape.of(sampleShape));
    }

    /** A fixed per-sample output shape, without the batch axis (-1 for unknown sizes). */
    public Builder outputShape(Shape sampleShape) {
      if (sampleShape == null || sampleShape.isUnknown()) {
        throw new IllegalArgumentException("Lambda: outputShape must be a known-rank shape without the batch axis. "
            + "Received: outputShape=" + Shapes.format(sampleShape));
      }
      clearShape();
      this.outputSampleShape = sampleShape;
      return this;
    }

    /** The full output shape as a function of the full input shape (single-input form; batch axis included). */
    public Builder outputShape(UnaryOperator<Shape> function) {
      clearShape();
      this.singleShapeFunction = Objects.requireNonNull(function, "function");
      return this;
    }

    /** The full output shape as a function of the list of full input shapes (batch axes included). */
    public Builder outputShapeOfList(Function<List<Shape>, Shape> function) {
      clearShape();
      this.listShapeFunction = Objects.requireNonNull(function, "function");
      return this;
    }

    private void clearShape() {
      outputSampleShape = null;
      singleShapeFunction = null;
      listShapeFunction = null;
    }

    /** The configured layer. */
    public Lambda build() {
      return new Lambda(this);
    }
  }
}
