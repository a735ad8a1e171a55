package io.github.keras4j.graph.optimizers;

import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Muon (Jordan et al., 2024, "Muon: An optimizer for hidden layers in neural networks"; Liu et al., 2025, "Muon is
 * Scalable for LLM Training"): Keras 3's {@code Muon} update ({@code keras/src/optimizers/muon.py}).
 *
 * <p>Every variable has a {@code momentum} slot {@code m}. A variable of rank 2 is updated by Muon unless its name
 * ({@link GraphVariable#name()}, such as {@code dense_1/kernel}, where Keras matches {@code variable.path}) contains
 * {@code embedding} in any case (with {@code excludeEmbeddings}) or a match of one of the {@code excludeLayers}
 * regular expressions:
 * <pre>
 * m = m + (g + m * (momentum - 1))                 that is momentum * m + g
 * u = nesterov ? g + momentum * m : m
 * O = newtonSchulz(u)
 * w = w - (lr * O) * sqrt(max(rows, cols)) * rmsRate    without the last two factors when rmsRate is null
 * </pre>
 * where {@code newtonSchulz} transposes a tall {@code u} (rows &gt; cols) to a wide one, divides it by its
 * Frobenius norm plus 1e-7 and repeats {@code nsSteps} times {@code A = X X^T; B = b A + (c A) A; X = a X + B X}
 * (coefficients {@code muonA, muonB, muonC}), then transposes back: an approximate orthogonalisation
 * {@code U S' V^T} of {@code u}.
 *
 * <p>Every other variable (rank other than 2, or excluded) gets Keras's AdamW step with its own {@code velocity}
 * slot {@code v}, learning rate {@code lr * adamLrRatio} and step {@code t = iterations + 1}:
 * <pre>
 * alpha = lrA * sqrt(1 - adamBeta2^t) / (1 - adamBeta1^t)
 * m = m + (g - m) * (1 - adamBeta1);  v = v + (g^2 - v) * (1 - adamBeta2)
 * w = w - (m * alpha) / (sqrt(v) + epsilon)
 * </pre>
 * Weight decay (before the update, {@code w = w - w * rate * lr} with the unscaled {@code lr}) uses the
 * {@link #setWeightDecay weightDecay} setting for Muon variables and {@code adamWeightDecay} for the others, each
 * only when set and for variables not excluded from weight decay, as Keras's {@code Muon._apply_weight_decay}.
 * Built from plain ops in Keras's order, in float32, with {@code 1 - beta} and {@code momentum - 1} rounded from
 * the decimal settings as Keras does ({@link #oneMinusAsKeras}).
 */
public final class MuonUpdate extends GraphOptimizer {

  /** Keras's constant added to the Frobenius norm before the Newton-Schulz iterations. */
  private static final float NORM_EPSILON = 1e-7f;

  private final float adamBeta1;
  private final float adamBeta2;
  private final Float adamWeightDecay;
  private final float epsilon;
  private final List<String> excludeLayers;
  private final Pattern excludePattern;
  private final boolean excludeEmbeddings;
  private final float muonA;
  private final float muonB;
  private final float muonC;
  private final float adamLrRatio;
  private final float momentum;
  private final int nsSteps;
  private final boolean nesterov;
  private final Float rmsRate;
  private Operand<TFloat32> adamBeta1Power;
  private Operand<TFloat32> adamBeta2Power;

  /** Muon's settings, checked by {@link MuonUpdate}'s constructor; Keras's defaults from {@link #defaults()}. */
  public record Settings(float adamBeta1, float adamBeta2, Float adamWeightDecay, float epsilon,
      List<String> excludeLayers, boolean excludeEmbeddings, float muonA, float muonB, float muonC,
      float adamLrRatio, float momentum, int nsSteps, boolean nesterov, Float rmsRate) {

    /** Copies {@code excludeLayers} (null: none). */
    public Settings {
      excludeLayers = excludeLayers == null ? List.of() : List.copyOf(excludeLayers);
    }

    /**
     * Keras's defaults: {@code adamBeta1=0.9, adamBeta2=0.999, adamWeightDecay=0.004, epsilon=1e-7,
     * excludeLayers=[], excludeEmbeddings=true, muonA=3.4445, muonB=-4.7750, muonC=2.0315, adamLrRatio=1,
     * momentum=0.95, nsSteps=5, nesterov=true, rmsRate=0.2}.
     */
    public static Settings defaults() {
      return new Settings(0.9f, 0.999f, 0.004f, 1e-7f, List.of(), true, 3.4445f, -4.7750f, 2.0315f, 1f, 0.95f, 5,
          true, 0.2f);
    }
  }

  /**
   * @param name the name scope of the optimizer's variables, such as {@code "muon"}
   * @param learningRate Keras default 0.001
   * @param settings the rule's other settings
   * @throws IllegalArgumentException for a setting out of its range (see the checks of each)
   */
  public MuonUpdate(String name, float learningRate, Settings settings) {
    this(name, learningRate, null, settings);
  }

  /** As {@link #MuonUpdate(String, float, Settings)}, with a scheduled learning rate. */
  public MuonUpdate(String name, LearningRateFunction learningRate, Settings settings) {
    this(name, Float.NaN, Objects.requireNonNull(learningRate, "schedule"), settings);
  }

  private MuonUpdate(String name, float learningRate, LearningRateFunction schedule, Settings s) {
    super(name, learningRate, schedule);
    Objects.requireNonNull(s, "settings");
    this.adamBeta1 = check("adamBeta1", s.adamBeta1(), s.adamBeta1() >= 0 && s.adamBeta1() < 1, "in [0, 1)");
    this.adamBeta2 = check("adamBeta2", s.adamBeta2(), s.adamBeta2() >= 0 && s.adamBeta2() < 1, "in [0, 1)");
    if (s.adamWeightDecay() != null) {
      check("adamWeightDecay", s.adamWeightDecay(), s.adamWeightDecay() >= 0 && Float.isFinite(s.adamWeightDecay()),
          "a finite number >= 0 or null");
    }
    this.adamWeightDecay = s.adamWeightDecay();
    this.epsilon = check("epsilon", s.epsilon(), s.epsilon() >= 0 && Float.isFinite(s.epsilon()),
        "a finite number >= 0");
    this.excludeLayers = s.excludeLayers();
    Pattern pattern = null;
    if (!excludeLayers.isEmpty()) {
      try {
        pattern = Pattern.compile(String.join("|", excludeLayers));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("Optimizer '" + name + "': excludeLayers must be regular expressions "
            + "(plain words such as \"output_dense\" are). Received: excludeLayers=" + excludeLayers + " ("
            + e.getDescription() + ")", e);
      }
    }
    this.excludePattern = pattern;
    this.excludeEmbeddings = s.excludeEmbeddings();
    this.muonA = check("muonA", s.muonA(), Float.isFinite(s.muonA()), "a finite number");
    this.muonB = check("muonB", s.muonB(), Float.isFinite(s.muonB()), "a finite number");
    this.muonC = check("muonC", s.muonC(), Float.isFinite(s.muonC()), "a finite number");
    this.adamLrRatio = check("adamLrRatio", s.adamLrRatio(), s.adamLrRatio() >= 0 && Float.isFinite(s.adamLrRatio()),
        "a finite number >= 0");
    this.momentum = check("momentum", s.momentum(), s.momentum() >= 0 && s.momentum() < 1, "in [0, 1)");
    if (s.nsSteps() < 0) {
      throw new IllegalArgumentException(
          "Optimizer '" + name + "': nsSteps must be an integer >= 0. Received: nsSteps=" + s.nsSteps());
    }
    this.nsSteps = s.nsSteps();
    this.nesterov = s.nesterov();
    if (s.rmsRate() != null) {
      check("rmsRate", s.rmsRate(), s.rmsRate() > 0 && Float.isFinite(s.rmsRate()),
          "a positive finite number or null (no scaling)");
    }
    this.rmsRate = s.rmsRate();
  }

  /**
   * Keras's {@code _should_use_adamw}: whether {@code variable} gets the AdamW step rather than Muon's; true for a
   * rank other than 2, for a name containing {@code embedding} (any case) with {@code excludeEmbeddings}, and for a
   * name containing a match of one of {@code excludeLayers}.
   */
  public boolean usesAdamW(GraphVariable variable) {
    if (variable.shape().numDimensions() != 2) {
      return true;
    }
    if (excludeEmbeddings && variable.name().toLowerCase(Locale.ROOT).contains("embedding")) {
      return true;
    }
    return excludePattern != null && excludePattern.matcher(variable.name()).find();
  }

  @Override
  protected Float weightDecayRate(GraphVariable variable) {
    if (!usesWeightDecay(variable)) {
      return null;
    }
    return usesAdamW(variable) ? adamWeightDecay : weightDecay();
  }

  @Override
  protected void beforeApply(Ops tf) {
    // Keras: local_step = cast(iterations + 1, float32); powers of the betas cast to float32.
    Operand<TFloat32> localStep = tf.dtypes.cast(tf.math.add(iterationsValue(), tf.constant(1L)), TFloat32.class);
    adamBeta1Power = tf.math.pow(tf.constant(adamBeta1), localStep);
    adamBeta2Power = tf.math.pow(tf.constant(adamBeta2), localStep);
  }

  @Override
  protected Op applyOne(Ops tf, GraphVariable variable, Operand<TFloat32> gradient, Operand<TFloat32> lr) {
    GraphVariable m = slot(variable, "momentum", 0f);
    if (usesAdamW(variable)) {
      GraphVariable v = slot(variable, "velocity", 0f);
      return adamW(tf, variable, m, v, gradient, tf.math.mul(lr, tf.constant(adamLrRatio)));
    }
    return muon(tf, variable, m, gradient, lr);
  }

  private Op muon(Ops tf, GraphVariable variable, GraphVariable m, Operand<TFloat32> g, Operand<TFloat32> lr) {
    Operand<TFloat32> mOld = m.value();
    // Keras: m += g + m * (momentum - 1), with momentum - 1 rounded from the decimal setting.
    Operand<TFloat32> mNew = tf.math.add(mOld,
        tf.math.add(g, tf.math.mul(mOld, tf.constant(-oneMinusAsKeras(momentum)))));
    Operand<TFloat32> direction = nesterov ? tf.math.add(g, tf.math.mul(tf.constant(momentum), mNew)) : mNew;
    Operand<TFloat32> update = tf.math.mul(lr, newtonSchulz(tf, direction, variable.shape().get(0),
        variable.shape().get(1)));
    if (rmsRate != null) {
      long larger = Math.max(variable.shape().get(0), variable.shape().get(1));
      update = tf.math.mul(tf.math.mul(update, tf.constant((float) Math.sqrt(larger))), tf.constant(rmsRate));
    }
    Ops write = afterValues(tf, List.of(mNew, update));
    return tf.withControlDependencies(List.of(
        write.assign(m.variable(), mNew), write.assignSub(variable.variable(), update))).noOp();
  }

  /**
   * Keras's {@code zeropower_via_newtonschulz5} of a matrix {@code x} of {@code rows x cols}: see the class
   * comment.
   */
  private Operand<TFloat32> newtonSchulz(Ops tf, Operand<TFloat32> x, long rows, long cols) {
    boolean tall = rows > cols;
    Operand<TInt32> perm = tf.constant(new int[] {1, 0});
    Operand<TFloat32> xs = tall ? tf.linalg.transpose(x, perm) : x;
    Operand<TFloat32> norm = tf.math.sqrt(tf.reduceSum(tf.math.square(xs), tf.constant(new int[] {0, 1})));
    xs = tf.math.div(xs, tf.math.add(norm, tf.constant(NORM_EPSILON)));
    Operand<TFloat32> a = tf.constant(muonA);
    Operand<TFloat32> b = tf.constant(muonB);
    Operand<TFloat32> c = tf.constant(muonC);
    for (int i = 0; i < nsSteps; i++) {
      Operand<TFloat32> gram = tf.linalg.matMul(xs, xs, MatMul.transposeB(true));
      Operand<TFloat32> poly = tf.math.add(tf.math.mul(b, gram), tf.linalg.matMul(tf.math.mul(c, gram), gram));
      xs = tf.math.add(tf.math.mul(a, xs), tf.linalg.matMul(poly, xs));
    }
    return tall ? tf.linalg.transpose(xs, perm) : xs;
  }

  private Op adamW(Ops tf, GraphVariable variable, GraphVariable m, GraphVariable v, Operand<TFloat32> g,
      Operand<TFloat32> lr) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alpha = tf.math.div(
        tf.math.mul(lr, tf.math.sqrt(tf.math.sub(one, adamBeta2Power))), tf.math.sub(one, adamBeta1Power));
    Operand<TFloat32> mOld = m.value();
    Operand<TFloat32> vOld = v.value();
    Operand<TFloat32> mNew = tf.math.add(
        mOld, tf.math.mul(tf.math.sub(g, mOld), tf.constant(oneMinusAsKeras(adamBeta1))));
    Operand<TFloat32> vNew = tf.math.add(
        vOld, tf.math.mul(tf.math.sub(tf.math.square(g), vOld), tf.constant(oneMinusAsKeras(adamBeta2))));
    Operand<TFloat32> step = tf.math.div(
        tf.math.mul(mNew, alpha), tf.math.add(tf.math.sqrt(vNew), tf.constant(epsilon)));
    Ops write = afterValues(tf, List.of(mNew, vNew, step));
    return tf.withControlDependencies(List.of(
        write.assign(m.variable(), mNew), write.assign(v.variable(), vNew),
        write.assignSub(variable.variable(), step))).noOp();
  }
}
