package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Schedule-Free AdamW (Defazio et al., 2024, "The Road Less Scheduled"): Keras 3's {@code ScheduleFreeAdamW}
 * update ({@code keras/src/optimizers/schedule_free_adamw.py}).
 *
 * <p>The variable holds the interpolation {@code y} (what the model trains and evaluates with); the slot
 * {@code momentum} holds the sequence {@code z} the gradient steps move, starting at the variable's value; the
 * average {@code x} is not stored but recovered from them. With step {@code t = iterations + 1} (float32):
 * <pre>
 * lr' = warmupSteps &gt; 0 ? lr * min(t / warmupSteps, 1) : lr
 * v = v + (g^2 - v) * (1 - beta2)
 * z' = z - (lr' * g) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * x = (y - (1 - beta1) * z) / beta1                 from the values before this step
 * x' = (1 - 1/t) * x + (1/t) * z'
 * y' = (1 - beta1) * z' + beta1 * x'
 * </pre>
 * Built from plain ops in Keras's order and float32 arithmetic ({@code 1 - beta} in float32, as Keras computes it
 * from the betas cast to float32).
 *
 * <p>Keras copies each variable into its {@code momentum} slot when the optimizer is built. Here the slot is copied
 * from the variable by the first update that runs (before its weight decay, as Keras builds before decaying),
 * marked done in a per-variable scalar slot {@code initialized} (0 then 1), which Keras does not have.
 */
public final class ScheduleFreeAdamWUpdate extends GraphOptimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final int warmupSteps;
  private Operand<TFloat32> localStep;
  private Operand<TFloat32> beta2Power;

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "schedule_free_adamw"}
   * @param learningRate Keras default 0.0025
   * @param beta1 weight of the average {@code x} in the interpolation {@code y}, in (0, 1] (Keras does not check;
   *     0 would divide by zero); Keras default 0.9
   * @param beta2 decay of the second-moment estimate, in [0, 1); Keras default 0.999
   * @param epsilon added to the denominator, {@code >= 0}; Keras default 1e-8
   * @param warmupSteps steps of linear learning-rate warmup from 0, {@code >= 0}; Keras default 0
   */
  public ScheduleFreeAdamWUpdate(
      String name, float learningRate, float beta1, float beta2, float epsilon, int warmupSteps) {
    this(name, learningRate, null, beta1, beta2, epsilon, warmupSteps);
  }

  /** As {@link #ScheduleFreeAdamWUpdate(String, float, float, float, float, int)}, with a scheduled learning rate. */
  public ScheduleFreeAdamWUpdate(String name, LearningRateFunction learningRate, float beta1, float beta2,
      float epsilon, int warmupSteps) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), beta1, beta2, epsilon, warmupSteps);
  }

  private ScheduleFreeAdamWUpdate(String name, float learningRate, LearningRateFunction schedule, float beta1,
      float beta2, float epsilon, int warmupSteps) {
    super(name, learningRate, schedule);
    this.beta1 = check("beta1", beta1, beta1 > 0 && beta1 <= 1, "in (0, 1] (x is recovered dividing by beta1)");
    this.beta2 = check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
    this.epsilon = check("epsilon", epsilon, epsilon >= 0 && Float.isFinite(epsilon), "a finite number >= 0");
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("Optimizer '" + name + "': warmupSteps must be an integer >= 0. Received: "
          + "warmupSteps=" + warmupSteps);
    }
    this.warmupSteps = warmupSteps;
  }

  /**
   * Keras's {@code build} copying each variable into its {@code momentum} slot: on the first update of each
   * variable (its {@code initialized} slot still 0) the slot takes the variable's value, before weight decay.
   */
  @Override
  protected List<Op> beforeWeightDecay(Ops tf, List<GraphVariable> variables) {
    Ops s = tf.withSubScope("initialize_momentum");
    List<Op> values = new ArrayList<>();
    List<Operand<TFloat32>> starts = new ArrayList<>();
    List<GraphVariable> momenta = new ArrayList<>();
    List<GraphVariable> flags = new ArrayList<>();
    for (GraphVariable variable : variables) {
      GraphVariable z = slot(variable, "momentum", 0f);
      GraphVariable flag = slot(variable, "initialized", Shape.scalar(), 0f);
      Operand<TFloat32> start = s.select(
          s.math.greater(s.identity(flag.variable()), s.constant(0f)), s.identity(z.variable()),
          s.identity(variable.variable()));
      values.add(start);
      starts.add(start);
      momenta.add(z);
      flags.add(flag);
    }
    // Every read is consumed before any write (the Identity of a ref variable may share its buffer).
    Ops write = s.withControlDependencies(values);
    List<Op> out = new ArrayList<>();
    for (int i = 0; i < momenta.size(); i++) {
      out.add(write.assign(momenta.get(i).variable(), starts.get(i)));
      out.add(write.assign(flags.get(i).variable(), write.constant(1f)));
    }
    return out;
  }

  @Override
  protected void beforeApply(Ops tf) {
    // Keras: local_step = cast(iterations + 1, float32); beta_2 cast to float32.
    localStep = tf.dtypes.cast(tf.math.add(iterationsValue(), tf.constant(1L)), TFloat32.class);
    beta2Power = tf.math.pow(tf.constant(beta2), localStep);
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable z = slot(variable, "momentum", 0f);
    GraphVariable v = slot(variable, "velocity", 0f);
    Operand<TFloat32> rate = lr;
    if (warmupSteps > 0) {
      rate = tf.math.mul(lr, tf.math.minimum(
          tf.math.div(localStep, tf.constant((float) warmupSteps)), tf.constant(1f)));
    }
    // A fresh read: the slot was (re)written by beforeWeightDecay, which tf waits for.
    Operand<TFloat32> zOld = tf.identity(z.variable());
    Operand<TFloat32> vOld = v.value();
    Operand<TFloat32> yOld = variableValue(tf, variable);
    Operand<TFloat32> oneMinusBeta1 = tf.constant(1f - beta1);
    Operand<TFloat32> b1 = tf.constant(beta1);
    Operand<TFloat32> biasCorrection2 = tf.math.sub(tf.constant(1f), beta2Power);
    Operand<TFloat32> vNew = tf.math.add(
        vOld, tf.math.mul(tf.math.sub(tf.math.square(gradient), vOld), tf.constant(1f - beta2)));
    Operand<TFloat32> denominator = tf.math.add(
        tf.math.sqrt(tf.math.div(vNew, biasCorrection2)), tf.constant(epsilon));
    Operand<TFloat32> zNew = tf.math.sub(zOld, tf.math.div(tf.math.mul(rate, gradient), denominator));
    Operand<TFloat32> weight = tf.math.div(tf.constant(1f), localStep);
    Operand<TFloat32> xOld = tf.math.div(tf.math.sub(yOld, tf.math.mul(oneMinusBeta1, zOld)), b1);
    Operand<TFloat32> xNew = tf.math.add(
        tf.math.mul(tf.math.sub(tf.constant(1f), weight), xOld), tf.math.mul(weight, zNew));
    Operand<TFloat32> yNew = tf.math.add(tf.math.mul(oneMinusBeta1, zNew), tf.math.mul(b1, xNew));
    Ops write = afterValues(tf, List.of(vNew, zNew, yNew));
    return tf.withControlDependencies(List.of(
        write.assign(v.variable(), vNew), write.assign(z.variable(), zNew),
        write.assign(variable.variable(), yNew))).noOp();
  }
}
