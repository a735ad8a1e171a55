package io.github.keras4j.data;

import io.github.keras4j.graph.Shapes;
import java.util.Arrays;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * A dense float array with a shape whose first axis is the sample axis: the form every input and target takes
 * inside fit, evaluate and predict.
 *
 * <p>{@link #of(String, Object)} accepts Java arrays ({@code float[]}, {@code float[][]}, ... up to rank 5,
 * {@code double[]...} and {@code int[]} / {@code long[]} for labels) and TF Java {@link FloatNdArray}s. A rank-1
 * array is one value per sample, shape {@code (n,)}.
 *
 * <p>It also holds strings ({@code String[]}, {@code String[][]}, ...), the data of a model's string inputs
 * ({@code Input.ofStrings}): {@link #isStrings()} tells them apart, {@link #strings()} returns them, and
 * {@link #values()} is for numbers only.
 */
public final class ArrayData {

  private final String name;
  private final float[] data;
  private final String[] strings;
  private final long[] shape;
  private final int rowSize;

  /** Wraps row-major {@code data} of the given shape (first axis = samples). */
  public ArrayData(String name, float[] data, long... shape) {
    this(name, data, null, data.length, shape);
  }

  /** Wraps row-major strings of the given shape (first axis = samples); no element may be null. */
  public ArrayData(String name, String[] strings, long... shape) {
    this(name, null, strings, strings.length, shape);
    for (int i = 0; i < strings.length; i++) {
      if (strings[i] == null) {
        throw new IllegalArgumentException("'" + name + "' holds a null string at flat index " + i);
      }
    }
  }

  private ArrayData(String name, float[] data, String[] strings, int length, long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (shape.length == 0 || n != length) {
      throw new IllegalArgumentException("'" + name + "': shape " + Shapes.format(shape) + " does not match "
          + length + " values");
    }
    this.name = name;
    this.data = data;
    this.strings = strings;
    this.shape = shape.clone();
    this.rowSize = (int) (shape[0] == 0 ? 0 : n / shape[0]);
  }

  /** Converts a Java array or NdArray; {@code name} (such as {@code "x"}) is used in error messages. */
  public static ArrayData of(String name, Object array) {
    if (array == null) {
      throw new IllegalArgumentException("'" + name + "' is null");
    }
    if (array instanceof ArrayData a) {
      return a;
    }
    if (array instanceof NdArray<?> nd) {
      if (!(nd instanceof FloatNdArray f)) {
        throw new IllegalArgumentException("'" + name + "' must be a FloatNdArray. Received: " + nd.getClass().getSimpleName());
      }
      long[] shape = f.shape().asArray();
      if (shape.length == 0) {
        throw new IllegalArgumentException("'" + name + "' must have a sample axis. Received a scalar");
      }
      float[] values = new float[Math.toIntExact(f.size())];
      f.copyTo(DataBuffers.of(values, false, false));
      return new ArrayData(name, values, shape);
    }
    if (!array.getClass().isArray()) {
      throw new IllegalArgumentException("'" + name + "' must be a Java array (float[][], ...) or a FloatNdArray. "
          + "Received: " + array.getClass().getSimpleName());
    }
    long[] shape = shapeOf(name, array);
    if (stringArray(array)) {
      return new ArrayData(name, flattenStrings(name, array, shape), shape);
    }
    long total = 1;
    for (long d : shape) {
      total *= d;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("'" + name + "' has too many values for one array: " + total);
    }
    float[] values = new float[(int) total];
    if (total > 0) {
      flatten(name, array, shape, 0, values, new int[] {0});
    }
    return new ArrayData(name, values, shape);
  }

  private static long[] shapeOf(String name, Object array) {
    long[] shape = new long[0];
    Object cur = array;
    while (cur != null && cur.getClass().isArray()) {
      shape = Arrays.copyOf(shape, shape.length + 1);
      int len = java.lang.reflect.Array.getLength(cur);
      shape[shape.length - 1] = len;
      if (len == 0) {
        // No rows to look into: the remaining axes get size 0 and there are no values.
        for (Class<?> c = cur.getClass().getComponentType(); c.isArray(); c = c.getComponentType()) {
          shape = Arrays.copyOf(shape, shape.length + 1);
        }
        return shape;
      }
      if (!cur.getClass().getComponentType().isArray()) {
        Class<?> c = cur.getClass().getComponentType();
        if (c.isArray()) {
          break;
        }
        if (c != float.class && c != double.class && c != int.class && c != long.class && c != String.class) {
          throw new IllegalArgumentException("'" + name + "' must hold float, double, int, long or String values. "
              + "Received: " + array.getClass().getSimpleName());
        }
        break;
      }
      cur = java.lang.reflect.Array.get(cur, 0);
    }
    return shape;
  }

  /** Whether {@code array}'s innermost component type is {@link String}. */
  private static boolean stringArray(Object array) {
    Class<?> c = array.getClass();
    while (c.isArray()) {
      c = c.getComponentType();
    }
    return c == String.class;
  }

  private static String[] flattenStrings(String name, Object array, long[] shape) {
    long total = 1;
    for (long d : shape) {
      total *= d;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("'" + name + "' has too many values for one array: " + total);
    }
    String[] out = new String[(int) total];
    if (total > 0) {
      flattenStrings(name, array, shape, 0, out, new int[] {0});
    }
    return out;
  }

  private static void flattenStrings(String name, Object a, long[] shape, int depth, String[] out, int[] pos) {
    int len = java.lang.reflect.Array.getLength(a);
    if (len != shape[depth]) {
      throw new IllegalArgumentException("'" + name + "' is ragged: expected " + shape[depth] + " elements on axis "
          + depth + " but found a row with " + len);
    }
    for (int i = 0; i < len; i++) {
      Object item = java.lang.reflect.Array.get(a, i);
      if (item == null) {
        throw new IllegalArgumentException("'" + name + "' has a null " + (depth == shape.length - 1 ? "string" : "row")
            + " at index " + i + " of axis " + depth);
      }
      if (depth == shape.length - 1) {
        out[pos[0]++] = (String) item;
      } else {
        flattenStrings(name, item, shape, depth + 1, out, pos);
      }
    }
  }

  private static void flatten(String name, Object a, long[] shape, int depth, float[] out, int[] pos) {
    int len = java.lang.reflect.Array.getLength(a);
    if (len != shape[depth]) {
      throw new IllegalArgumentException("'" + name + "' is ragged: expected " + shape[depth] + " elements on axis "
          + depth + " but found a row with " + len);
    }
    if (depth == shape.length - 1) {
      if (a instanceof float[] f) {
        System.arraycopy(f, 0, out, pos[0], len);
      } else if (a instanceof double[] d) {
        for (int i = 0; i < len; i++) {
          out[pos[0] + i] = (float) d[i];
        }
      } else if (a instanceof int[] ints) {
        for (int i = 0; i < len; i++) {
          out[pos[0] + i] = ints[i];
        }
      } else if (a instanceof long[] longs) {
        for (int i = 0; i < len; i++) {
          out[pos[0] + i] = longs[i];
        }
      } else {
        throw new IllegalArgumentException("'" + name + "' must hold float, double, int or long values");
      }
      pos[0] += len;
      return;
    }
    for (int i = 0; i < len; i++) {
      Object row = java.lang.reflect.Array.get(a, i);
      if (row == null) {
        throw new IllegalArgumentException("'" + name + "' has a null row at index " + i + " of axis " + depth);
      }
      flatten(name, row, shape, depth + 1, out, pos);
    }
  }

  /** The name used in messages. */
  public String name() {
    return name;
  }

  /** Number of samples (size of the first axis). */
  public int rows() {
    return (int) shape[0];
  }

  /** Values per sample. */
  public int rowSize() {
    return rowSize;
  }

  /** The full shape, samples first. */
  public long[] shape() {
    return shape.clone();
  }

  /** The shape with the sample axis shown as {@code None}: the shape a model sees. */
  public Shape batchShape() {
    long[] s = shape.clone();
    s[0] = Shape.UNKNOWN_SIZE;
    return Shape.of(s);
  }

  /** The backing row-major values (not copied). */
  public float[] values() {
    if (strings != null) {
      throw new IllegalStateException("'" + name + "' holds strings, not numbers: read it with strings()");
    }
    return data;
  }

  /** Whether this array holds strings (the data of a string model input). */
  public boolean isStrings() {
    return strings != null;
  }

  /** The backing row-major strings (not copied). */
  public String[] strings() {
    if (strings == null) {
      throw new IllegalStateException("'" + name + "' holds numbers, not strings: read it with values()");
    }
    return strings;
  }

  /** Value {@code j} of sample {@code row}. */
  public float get(int row, int j) {
    return values()[row * rowSize + j];
  }

  /** Copies samples {@code indices[from..from+count)} into {@code dest} (row-major). */
  public void gather(int[] indices, int from, int count, float[] dest) {
    float[] values = values();
    for (int i = 0; i < count; i++) {
      System.arraycopy(values, indices[from + i] * rowSize, dest, i * rowSize, rowSize);
    }
  }

  /** Samples {@code indices[from..from+count)} as a new array (numbers or strings). */
  public ArrayData rows(int[] indices, int from, int count) {
    long[] s = shape.clone();
    s[0] = count;
    if (strings == null) {
      float[] out = new float[count * rowSize];
      gather(indices, from, count, out);
      return new ArrayData(name, out, s);
    }
    String[] out = new String[count * rowSize];
    for (int i = 0; i < count; i++) {
      System.arraycopy(strings, indices[from + i] * rowSize, out, i * rowSize, rowSize);
    }
    return new ArrayData(name, out, s);
  }

  /** Samples {@code [from, to)} as a new ArrayData. */
  public ArrayData slice(int from, int to) {
    long[] s = shape.clone();
    s[0] = to - from;
    if (strings != null) {
      return new ArrayData(name, Arrays.copyOfRange(strings, from * rowSize, to * rowSize), s);
    }
    return new ArrayData(name, Arrays.copyOfRange(data, from * rowSize, to * rowSize), s);
  }

  /**
   * Throws if any value is NaN or infinite, naming the array and the index of the first bad value
   * ({@code x[12, 3]}).
   */
  public void checkFinite() {
    if (strings != null) {
      return;
    }
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        long[] idx = new long[shape.length];
        long rest = i;
        for (int d = shape.length - 1; d >= 0; d--) {
          idx[d] = rest % shape[d];
          rest /= shape[d];
        }
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < idx.length; d++) {
          b.append(d == 0 ? "" : ", ").append(idx[d]);
        }
        throw new IllegalArgumentException("'" + name + "' contains " + (Float.isNaN(data[i]) ? "NaN" : "Inf")
            + " at index [" + b + "]: inputs and targets must be finite");
      }
    }
  }
}
