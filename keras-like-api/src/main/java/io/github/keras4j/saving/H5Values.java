package io.github.keras4j.saving;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Values to and from HDF5 through jhdf, for {@link LegacyH5} (package-private): Keras's string-list attributes
 * (chunked or not, variable- or fixed-length), datasets as float32 arrays, and float arrays written at a path.
 */
final class H5Values {

  private H5Values() {}

  /** Keras's {@code load_attributes_from_hdf5_group}: a string list attribute, possibly split into chunks. */
  static List<String> strings(Node node, String name) throws IOException {
    List<String> out = new ArrayList<>();
    Attribute whole = node.getAttribute(name);
    if (whole != null) {
      addStrings(whole, out, node, name);
      return out;
    }
    for (int chunk = 0; ; chunk++) {
      Attribute a = node.getAttribute(name + chunk);
      if (a == null) {
        return out;
      }
      addStrings(a, out, node, name + chunk);
    }
  }

  private static void addStrings(Attribute a, List<String> out, Node node, String name)
      throws IOException {
    if (a.isEmpty()) {
      return;
    }
    Object data = a.getData();
    if (data instanceof String s) {
      out.add(s);
    } else if (data instanceof String[] array) {
      out.addAll(Arrays.asList(array));
    } else if (data != null && data.getClass().isArray() && Array.getLength(data) == 0) {
      return;
    } else {
      throw new IOException("Attribute '" + name + "' of " + node.getPath() + " in " + node.getFileAsPath()
          + " should hold strings, but holds " + (data == null ? "nothing" : data.getClass().getSimpleName()));
    }
  }

  /** A dataset's values as float32, whatever its stored number type. */
  static FloatNdArray read(Dataset dataset, Path file) throws IOException {
    Shape shape = Shape.of(dataset.getDimensionsAsLong());
    Object flat = dataset.isScalar() ? dataset.getData() : dataset.getDataFlat();
    float[] values;
    if (flat instanceof float[] f) {
      values = f;
    } else if (flat instanceof Number n) {
      values = new float[] {n.floatValue()};
    } else if (flat != null && flat.getClass().isArray() && flat.getClass().getComponentType().isPrimitive()
        && !(flat instanceof boolean[]) && !(flat instanceof char[])) {
      values = new float[Array.getLength(flat)];
      for (int i = 0; i < values.length; i++) {
        values[i] = ((Number) Array.get(flat, i)).floatValue();
      }
    } else {
      throw new IOException("Dataset " + dataset.getPath() + " in " + file + " does not hold numbers (it holds "
          + dataset.getJavaType().getSimpleName() + ")");
    }
    return NdArrays.wrap(shape, DataBuffers.of(values, true, false));
  }

  /** A string attribute (a scalar, or a one-element array), or null when absent. */
  static String stringAttribute(Node node, String name) throws IOException {
    Attribute a = node.getAttribute(name);
    if (a == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    addStrings(a, values, node, name);
    return values.size() == 1 ? values.get(0) : null;
  }

  /** Writes {@code value} at {@code path} under {@code group}, creating the groups of a path with slashes. */
  static void putDataset(WritableGroup group, String path, FloatNdArray value) {
    String[] parts = path.split("/");
    WritableGroup g = group;
    for (int i = 0; i < parts.length - 1; i++) {
      Node child = g.getChild(parts[i]);
      g = child instanceof WritableGroup existing ? existing : g.putGroup(parts[i]);
    }
    g.putDataset(parts[parts.length - 1], toJavaArray(value));
  }

  /** The values as a Java array of the value's rank ({@code float[][]} for a matrix), or a Float for a scalar. */
  private static Object toJavaArray(FloatNdArray value) {
    long[] dims = value.shape().asArray();
    float[] flat = new float[(int) value.shape().size()];
    value.copyTo(DataBuffers.of(flat, false, false));
    if (dims.length == 0) {
      return flat[0];
    }
    int[] intDims = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      intDims[i] = Math.toIntExact(dims[i]);
    }
    Object out = Array.newInstance(float.class, intDims);
    fill(out, flat, 0, intDims, 0);
    return out;
  }

  private static int fill(Object array, float[] flat, int offset, int[] dims, int axis) {
    if (axis == dims.length - 1) {
      System.arraycopy(flat, offset, array, 0, dims[axis]);
      return offset + dims[axis];
    }
    for (int i = 0; i < dims[axis]; i++) {
      offset = fill(Array.get(array, i), flat, offset, dims, axis + 1);
    }
    return offset;
  }
}
