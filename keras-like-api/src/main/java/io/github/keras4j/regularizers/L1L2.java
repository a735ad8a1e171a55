package io.github.keras4j.regularizers;

import io.github.keras4j.graph.Shapes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code L1L2}: {@code l1 * sum(|x|) + l2 * sum(x^2)}. The {@link L1} and {@link L2} regularizers are
 * its one-term cases.
 */
public class L1L2 implements Regularizer {

  private final float l1;
  private final float l2;

  /**
   * @param l1 the L1 factor, finite and {@code >= 0}
   * @param l2 the L2 factor, finite and {@code >= 0}
   */
  public L1L2(double l1, double l2) {
    this.l1 = check("l1", l1);
    this.l2 = check("l2", l2);
  }

  private static float check(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("Regularizer: " + name + " must be a finite number >= 0. Received: "
          + name + "=" + value);
    }
    return (float) value;
  }

  /** The L1 factor. */
  public float l1() {
    return l1;
  }

  /** The L2 factor. */
  public float l2() {
    return l2;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> penalty = tf.constant(0f);
    if (l1 != 0) {
      penalty = tf.math.add(penalty, tf.math.mul(tf.constant(l1), sumAll(tf, tf.math.abs(x))));
    }
    if (l2 != 0) {
      penalty = tf.math.add(penalty, tf.math.mul(tf.constant(l2), sumAll(tf, tf.math.square(x))));
    }
    return penalty;
  }

  private static Operand<TFloat32> sumAll(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, Shapes.allAxes(tf, x));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("l1", l1);
    c.put("l2", l2);
    return c;
  }
}
