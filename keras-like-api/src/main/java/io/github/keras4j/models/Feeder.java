package io.github.keras4j.models;

import io.github.keras4j.data.ArrayData;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Feed tensors reused from batch to batch: one per (slot, batch size), refilled in place, so a long fit
 * allocates a handful of tensors in all. Results of a run are copied out before the next refill.
 *
 * <p>A batch of consecutive samples (fit without shuffling, evaluate, predict) is written into its tensor straight
 * from the data's array, one copy; a shuffled batch is gathered first. A weights tensor that already holds ones is
 * not rewritten when the next batch has no weights either.
 */
final class Feeder implements AutoCloseable {

  private static final int MAX_TENSORS = 64;
  private final Map<String, TFloat32> tensors = new LinkedHashMap<>(16, 0.75f, true);
  /** The weights tensors that hold ones (keys of {@link #tensors}). */
  private final Set<String> ones = new HashSet<>();
  /** The last string tensor of each slot: strings have no fixed size to refill in place, so each batch is new. */
  private final Map<String, TString> stringTensors = new HashMap<>();
  private float[] buffer = new float[0];

  /** The samples {@code indices[from, from+count)} of {@code data}, as a tensor of shape (count, ...). */
  synchronized TFloat32 rows(String slot, ArrayData data, int[] indices, int from, int count) {
    int size = count * data.rowSize();
    long[] shape = data.shape();
    shape[0] = count;
    TFloat32 t = tensor(key(slot, shape), Shape.of(shape));
    int first = indices[from];
    boolean consecutive = true;
    for (int i = 1; i < count && consecutive; i++) {
      consecutive = indices[from + i] == first + i;
    }
    if (consecutive) {
      t.asRawTensor().data().asFloats().write(data.values(), first * data.rowSize(), size);
      return t;
    }
    if (buffer.length < size) {
      buffer = new float[size];
    }
    data.gather(indices, from, count, buffer);
    t.asRawTensor().data().asFloats().write(buffer, 0, size);
    return t;
  }

  /**
   * The strings of samples {@code indices[from, from+count)} of {@code data}, as a string tensor of shape
   * (count, ...); it stays open until the slot's next batch (or {@link #close}).
   */
  synchronized TString strings(String slot, ArrayData data, int[] indices, int from, int count) {
    ArrayData batch = data.rows(indices, from, count);
    TString t = TString.tensorOf(Shape.of(batch.shape()), DataBuffers.ofObjects(batch.strings()));
    TString old = stringTensors.put(slot, t);
    if (old != null) {
      old.close();
    }
    return t;
  }

  /** Per-sample weights {@code weights[indices[from..]]}, or ones when {@code weights} is null. */
  synchronized TFloat32 weights(String slot, float[] weights, int[] indices, int from, int count) {
    String key = slot + "(" + count + ")";
    TFloat32 t = tensor(key, Shape.of(count));
    if (weights == null) {
      if (ones.add(key)) {
        float[] values = new float[count];
        Arrays.fill(values, 1f);
        t.asRawTensor().data().asFloats().write(values);
      }
      return t;
    }
    ones.remove(key);
    if (buffer.length < count) {
      buffer = new float[count];
    }
    for (int i = 0; i < count; i++) {
      buffer[i] = weights[indices[from + i]];
    }
    t.asRawTensor().data().asFloats().write(buffer, 0, count);
    return t;
  }

  /** The key of a tensor: the slot and the dimensions, {@code x0(128, 784)}. */
  private static String key(String slot, long[] shape) {
    StringBuilder b = new StringBuilder(slot).append('(');
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return b.append(')').toString();
  }

  private TFloat32 tensor(String key, Shape shape) {
    TFloat32 t = tensors.get(key);
    if (t == null) {
      if (tensors.size() >= MAX_TENSORS) {
        Iterator<Map.Entry<String, TFloat32>> it = tensors.entrySet().iterator();
        Map.Entry<String, TFloat32> eldest = it.next();
        eldest.getValue().close();
        ones.remove(eldest.getKey());
        it.remove();
      }
      t = TFloat32.tensorOf(shape);
      tensors.put(key, t);
    }
    return t;
  }

  @Override
  public synchronized void close() {
    tensors.values().forEach(TFloat32::close);
    tensors.clear();
    stringTensors.values().forEach(TString::close);
    stringTensors.clear();
    ones.clear();
  }
}
