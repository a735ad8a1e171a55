package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.Shapes;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Adafactor (Shazeer and Stern, 2018, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost"): Keras 3's
 * {@code Adafactor} update, with factored second moments for variables of rank 2 and more.
 *
 * <p>Keras 3 ({@code keras/src/optimizers/adafactor.py}), with step {@code t = iterations + 1},
 * {@code rms(x) = sqrt(mean(x^2))} over all elements and {@code w} the value before the step (after weight decay if
 * set):
 * <pre>
 * rho_t   = min(lr, 1 / sqrt(t))
 * alpha_t = max(epsilon2, rms(w)) * rho_t
 * g2      = g^2 + epsilon1
 * b2_t    = 1 - t^beta2Decay
 * rank &gt;= 2:  r = b2_t * r + (1 - b2_t) * mean(g2, axis=-1)        shape w.shape[:-1]
 *             c = b2_t * c + (1 - b2_t) * mean(g2, axis=-2)        shape w.shape[:-2] + w.shape[-1:]
 *             v = expand_dims(r / mean(r, axis=-1, keepdims), -1) * expand_dims(c, -2)
 * otherwise:  v = b2_t * v + (1 - b2_t) * g2
 * u       = g / sqrt(v)
 * u_hat   = u / max(1, rms(u) / clipThreshold)
 * w       = w - alpha_t * u_hat
 * </pre>
 * Slots: {@code velocity} ({@code v}, the variable's shape) for every variable, and for variables of rank 2 and
 * more the factored moments {@code r} and {@code c} (Keras names both after the variable; the attribute names
 * {@code _r}, {@code _c} are used here). All start at zero. Keras also creates two unused scalar placeholders for
 * variables of rank below 2; Keras4J does not.
 *
 * <p>Keras's {@code relative_step}: when set (and the learning rate is a number) Keras first replaces {@code lr} by
 * {@code min(lr, 1 / sqrt(t))}, but {@code rho_t} above takes that minimum in any case, so the setting changes
 * nothing in Keras 3's update; it is kept for the config. Built from plain ops in Keras's order, in float32.
 */
public final class AdafactorUpdate extends GraphOptimizer {

  private final float beta2Decay;
  private final float epsilon1;
  private final float epsilon2;
  private final float clipThreshold;
  private final boolean relativeStep;
  private Operand<TFloat32> inverseSqrtStep;
  private Operand<TFloat32> beta2T;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "adafactor"}
   * @param learningRate Keras default 0.001
   * @param beta2Decay the second-moment decay is {@code 1 - t^beta2Decay}, finite and {@code <= 0}; Keras default
   *     -0.8
   * @param epsilon1 added to the squared gradients, {@code >= 0}; Keras default 1e-30
   * @param epsilon2 the smallest scale of a step relative to the variable's RMS, {@code >= 0}; Keras default 1e-3
   * @param clipThreshold the RMS above which the normalized update is scaled down, positive; Keras default 1
   * @param relativeStep Keras's {@code relative_step} (no effect on the update, see above); Keras default true
   */
  public AdafactorUpdate(String name, float learningRate, float beta2Decay, float epsilon1, float epsilon2,
      float clipThreshold, boolean relativeStep) {
    this(name, learningRate, null, beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep);
  }

  /** As {@link #AdafactorUpdate(String, float, float, float, float, float, boolean)}, with a scheduled rate. */
  public AdafactorUpdate(String name, LearningRateFunction learningRate, float beta2Decay, float epsilon1,
      float epsilon2, float clipThreshold, boolean relativeStep) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), beta2Decay, epsilon1, epsilon2,
        clipThreshold, relativeStep);
  }

  private AdafactorUpdate(String name, float learningRate, LearningRateFunction schedule, float beta2Decay,
      float epsilon1, float epsilon2, float clipThreshold, boolean relativeStep) {
    super(name, learningRate, schedule);
    this.beta2Decay = check("beta2Decay", beta2Decay, beta2Decay <= 0 && !Float.isInfinite(beta2Decay),
        "a finite number <= 0");
    this.epsilon1 = check("epsilon1", epsilon1, epsilon1 >= 0 && !Float.isInfinite(epsilon1), "a finite number >= 0");
    this.epsilon2 = check("epsilon2", epsilon2, epsilon2 >= 0 && !Float.isInfinite(epsilon2), "a finite number >= 0");
    this.clipThreshold = check("clipThreshold", clipThreshold, clipThreshold > 0 && !Float.isInfinite(clipThreshold),
        "a positive finite number");
    this.relativeStep = relativeStep;
  }

  /** Keras's {@code relative_step} setting. */
  public boolean relativeStep() {
    return relativeStep;
  }

  @Override
  protected void beforeApply(Ops tf) {
    // Keras: local_step = cast(iterations + 1, float32)
    Operand<TFloat32> localStep = tf.dtypes.cast(tf.math.add(iterationsValue(), tf.constant(1L)), TFloat32.class);
    inverseSqrtStep = tf.math.div(tf.constant(1f), tf.math.sqrt(localStep));
    beta2T = tf.math.sub(tf.constant(1f), tf.math.pow(localStep, tf.constant(beta2Decay)));
  }

  private static Operand<TFloat32> rms(Ops tf, Operand<TFloat32> x) {
    return tf.math.sqrt(tf.math.mean(tf.math.square(x), Shapes.allAxes(tf, x)));
  }

  /** {@code b2_t * old + (1 - b2_t) * fresh}. */
  private Operand<TFloat32> average(Ops tf, Operand<TFloat32> old, Operand<TFloat32> fresh) {
    return tf.math.add(tf.math.mul(beta2T, old), tf.math.mul(tf.math.sub(tf.constant(1f), beta2T), fresh));
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable v = slot(variable, "velocity", 0f);
    Operand<TFloat32> w = variableValue(tf, variable);
    Operand<TFloat32> rhoT = tf.math.minimum(lr, inverseSqrtStep);
    Operand<TFloat32> alphaT = tf.math.mul(tf.math.maximum(tf.constant(epsilon2), rms(tf, w)), rhoT);
    Operand<TFloat32> regulatedGradSquare = tf.math.add(tf.math.square(gradient), tf.constant(epsilon1));
    Shape shape = variable.shape();
    if (shape.numDimensions() < 2) {
      Operand<TFloat32> vNew = average(tf, v.value(), regulatedGradSquare);
      Operand<TFloat32> step = step(tf, gradient, vNew, alphaT);
      Ops write = afterValues(tf, List.of(vNew, step));
      return tf.withControlDependencies(List.of(
          write.assign(v.variable(), vNew), write.assignSub(variable.variable(), step))).noOp();
    }
    long[] dims = shape.asArray();
    int rank = dims.length;
    long[] cDims = Arrays.copyOf(dims, rank - 1);
    cDims[rank - 2] = dims[rank - 1];
    GraphVariable r = slot(variable, "r", Shape.of(Arrays.copyOf(dims, rank - 1)), 0f);
    GraphVariable c = slot(variable, "c", Shape.of(cDims), 0f);
    Operand<TFloat32> rNew = average(tf, r.value(), tf.math.mean(regulatedGradSquare, tf.constant(-1)));
    Operand<TFloat32> cNew = average(tf, c.value(), tf.math.mean(regulatedGradSquare, tf.constant(-2)));
    Operand<TFloat32> rowFactor = tf.math.div(rNew, tf.math.mean(rNew, tf.constant(-1), Mean.keepDims(true)));
    Operand<TFloat32> vNew =
        tf.math.mul(tf.expandDims(rowFactor, tf.constant(-1)), tf.expandDims(cNew, tf.constant(-2)));
    Operand<TFloat32> step = step(tf, gradient, vNew, alphaT);
    Ops write = afterValues(tf, List.of(rNew, cNew, vNew, step));
    return tf.withControlDependencies(List.of(
        write.assign(r.variable(), rNew), write.assign(c.variable(), cNew), write.assign(v.variable(), vNew),
        write.assignSub(variable.variable(), step))).noOp();
  }

  /** {@code alpha_t * u_hat}, with {@code u = g / sqrt(v)} and {@code u_hat = u / max(1, rms(u) / clipThreshold)}. */
  private Operand<TFloat32> step(Ops tf, Operand<TFloat32> g, Operand<TFloat32> v, Operand<TFloat32> alphaT) {
    Operand<TFloat32> u = tf.math.div(g, tf.math.sqrt(v));
    Operand<TFloat32> uHat = tf.math.div(
        u, tf.math.maximum(tf.constant(1f), tf.math.div(rms(tf, u), tf.constant(clipThreshold))));
    return tf.math.mul(alphaT, uHat);
  }
}
