package io.github.keras4j.optimizers;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.graph.optimizers.MuonUpdate;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Muon (Jordan et al., 2024; Liu et al., 2025, "Muon is Scalable for LLM Training"), with Keras's defaults:
 * {@code learningRate=0.001, adamBeta1=0.9, adamBeta2=0.999, adamWeightDecay=0.004, epsilon=1e-7,
 * weightDecay=0.004, excludeLayers=[], excludeEmbeddings=true, muonA=3.4445, muonB=-4.7750, muonC=2.0315,
 * adamLrRatio=1, momentum=0.95, nsSteps=5, nesterov=true, rmsRate=0.2}.
 *
 * <p>Matrices (variables of rank 2) take Muon's step: a momentum {@code m = momentum * m + g}, with Nesterov
 * {@code u = g + momentum * m} (else {@code u = m}), orthogonalised by {@code nsSteps} Newton-Schulz iterations with
 * the quintic coefficients {@code muonA, muonB, muonC}, times the learning rate and, unless {@code rmsRate} is null,
 * times {@code sqrt(max(rows, cols)) * rmsRate} (Moonlight's scaling, which lets Muon share AdamW's learning rate
 * and weight decay). Every other variable takes an AdamW step with the learning rate times {@code adamLrRatio}: the
 * variables of another rank (biases, convolution kernels), those whose name contains {@code embedding} (any case)
 * with {@code excludeEmbeddings}, and those whose name contains a match of one of the {@code excludeLayers} regular
 * expressions (typically the output layer: Keras recommends AdamW for embeddings and the final dense layer). See
 * {@link MuonUpdate} for the formulas. Keras matches the variable's {@code path}; Keras4J its full name such as
 * {@code dense_1/kernel}, the layer's name included, as {@link #excludeFromWeightDecay(String...)} does.
 *
 * <p>Weight decay, before each update: Muon's variables decay at {@code weightDecay} (the base-class setting,
 * {@code 0.004} here by default), the AdamW ones at {@code adamWeightDecay}, each with the unscaled learning rate,
 * when set and unless excluded with {@link #excludeFromWeightDecay}. Slots: {@code momentum} for every variable,
 * {@code velocity} for the AdamW ones.
 *
 * <pre>{@code
 * model.compile(Muon.builder().learningRate(0.01f).excludeLayers("output").build(), "mse");
 * model.compile("muon", "mse");
 * }</pre>
 */
public class Muon extends Optimizer {

  private final MuonUpdate rule;
  private final MuonUpdate.Settings settings;

  /** Muon with Keras's defaults. */
  public Muon() {
    this(builder());
  }

  /** Muon with the given learning rate and Keras's other defaults. */
  public Muon(float learningRate) {
    this(builder().learningRate(learningRate));
  }

  /** Muon with a learning-rate schedule (computed in the graph at every step) and Keras's other defaults. */
  public Muon(LearningRateSchedule learningRate) {
    this(builder().learningRate(learningRate));
  }

  private Muon(Builder b) {
    this(b, b.newRule());
  }

  private Muon(Builder b, MuonUpdate rule) {
    super(rule, b.schedule);
    this.rule = rule;
    this.settings = b.settings();
    rule.setWeightDecay(b.weightDecay);
  }

  /** A builder with Keras's defaults, for the settings the constructors do not take. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keras's {@code _should_use_adamw}: whether {@code variable} takes the AdamW step rather than Muon's (see the
   * class comment).
   */
  public boolean usesAdamW(GraphVariable variable) {
    return rule.usesAdamW(variable);
  }

  /** The {@code adam_beta_1} setting. */
  public float getAdamBeta1() {
    return settings.adamBeta1();
  }

  /** The {@code adam_beta_2} setting. */
  public float getAdamBeta2() {
    return settings.adamBeta2();
  }

  /** The {@code adam_weight_decay} setting, or null (no decay of the AdamW variables). */
  public Float getAdamWeightDecay() {
    return settings.adamWeightDecay();
  }

  /** The {@code epsilon} setting (of the AdamW step). */
  public float getEpsilon() {
    return settings.epsilon();
  }

  /** The {@code exclude_layers} setting: regular expressions; unmodifiable. */
  public List<String> getExcludeLayers() {
    return settings.excludeLayers();
  }

  /** The {@code exclude_embeddings} setting. */
  public boolean getExcludeEmbeddings() {
    return settings.excludeEmbeddings();
  }

  /** The Newton-Schulz coefficients {@code muon_a, muon_b, muon_c}. */
  public float[] getMuonCoefficients() {
    return new float[] {settings.muonA(), settings.muonB(), settings.muonC()};
  }

  /** The {@code adam_lr_ratio} setting. */
  public float getAdamLrRatio() {
    return settings.adamLrRatio();
  }

  /** The {@code momentum} setting (of Muon's step). */
  public float getMomentum() {
    return settings.momentum();
  }

  /** The {@code ns_steps} setting. */
  public int getNsSteps() {
    return settings.nsSteps();
  }

  /** The {@code nesterov} setting. */
  public boolean getNesterov() {
    return settings.nesterov();
  }

  /** The {@code rms_rate} setting, or null (no scaling of Muon's step). */
  public Float getRmsRate() {
    return settings.rmsRate();
  }

  /**
   * The base config followed by Keras's {@code adam_beta_1}, {@code adam_beta_2}, {@code epsilon},
   * {@code exclude_layers}, {@code muon_a}, {@code muon_b}, {@code muon_c}, {@code adam_lr_ratio}, {@code momentum},
   * {@code ns_steps}, {@code nesterov}, {@code exclude_embeddings}, {@code adam_weight_decay} and {@code rms_rate}.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = baseConfig();
    c.put("adam_beta_1", settings.adamBeta1());
    c.put("adam_beta_2", settings.adamBeta2());
    c.put("epsilon", settings.epsilon());
    c.put("exclude_layers", new ArrayList<>(settings.excludeLayers()));
    c.put("muon_a", settings.muonA());
    c.put("muon_b", settings.muonB());
    c.put("muon_c", settings.muonC());
    c.put("adam_lr_ratio", settings.adamLrRatio());
    c.put("momentum", settings.momentum());
    c.put("ns_steps", settings.nsSteps());
    c.put("nesterov", settings.nesterov());
    c.put("exclude_embeddings", settings.excludeEmbeddings());
    c.put("adam_weight_decay", settings.adamWeightDecay());
    c.put("rms_rate", settings.rmsRate());
    return c;
  }

  /**
   * Muon's settings with Keras's names (camelCased) and defaults; {@link #build()} checks them. The base-class
   * settings (clipping, EMA, gradient accumulation, loss scale) are set on the built optimizer, as for every
   * optimizer.
   */
  public static final class Builder {

    private float learningRate = 0.001f;
    private LearningRateSchedule schedule;
    private Float weightDecay = 0.004f;
    private static final MuonUpdate.Settings DEFAULTS = MuonUpdate.Settings.defaults();
    private float adamBeta1 = DEFAULTS.adamBeta1();
    private float adamBeta2 = DEFAULTS.adamBeta2();
    private Float adamWeightDecay = DEFAULTS.adamWeightDecay();
    private float epsilon = DEFAULTS.epsilon();
    private List<String> excludeLayers = DEFAULTS.excludeLayers();
    private boolean excludeEmbeddings = DEFAULTS.excludeEmbeddings();
    private float muonA = DEFAULTS.muonA();
    private float muonB = DEFAULTS.muonB();
    private float muonC = DEFAULTS.muonC();
    private float adamLrRatio = DEFAULTS.adamLrRatio();
    private float momentum = DEFAULTS.momentum();
    private int nsSteps = DEFAULTS.nsSteps();
    private boolean nesterov = DEFAULTS.nesterov();
    private Float rmsRate = DEFAULTS.rmsRate();

    private Builder() {}

    /** A numeric learning rate, positive (default 0.001); replaces a schedule set before. */
    public Builder learningRate(float learningRate) {
      this.learningRate = learningRate;
      this.schedule = null;
      return this;
    }

    /** A learning-rate schedule of the step counter, computed in the graph. */
    public Builder learningRate(LearningRateSchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "learningRate schedule");
      return this;
    }

    /** Keras's {@code adam_beta_1}: decay of the AdamW step's first moment, in [0, 1) (default 0.9). */
    public Builder adamBeta1(float adamBeta1) {
      this.adamBeta1 = adamBeta1;
      return this;
    }

    /** Keras's {@code adam_beta_2}: decay of the AdamW step's second moment, in [0, 1) (default 0.999). */
    public Builder adamBeta2(float adamBeta2) {
      this.adamBeta2 = adamBeta2;
      return this;
    }

    /** Keras's {@code adam_weight_decay}: decay of the AdamW variables, {@code >= 0} or null (default 0.004). */
    public Builder adamWeightDecay(Float adamWeightDecay) {
      this.adamWeightDecay = adamWeightDecay;
      return this;
    }

    /** Keras's {@code epsilon} of the AdamW step, outside the square root, {@code >= 0} (default 1e-7). */
    public Builder epsilon(float epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /** Keras's {@code weight_decay}: decay of Muon's variables, {@code >= 0} or null (default 0.004). */
    public Builder weightDecay(Float weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Keras's {@code exclude_layers}: regular expressions; a variable whose name contains a match of one takes the
     * AdamW step (default none).
     */
    public Builder excludeLayers(String... excludeLayers) {
      return excludeLayers(Arrays.asList(excludeLayers));
    }

    /** As {@link #excludeLayers(String...)}; null is none. */
    public Builder excludeLayers(List<String> excludeLayers) {
      this.excludeLayers = excludeLayers == null ? List.of() : List.copyOf(excludeLayers);
      return this;
    }

    /** Keras's {@code exclude_embeddings}: whether names containing {@code embedding} take AdamW (default true). */
    public Builder excludeEmbeddings(boolean excludeEmbeddings) {
      this.excludeEmbeddings = excludeEmbeddings;
      return this;
    }

    /** Keras's {@code muon_a}, {@code muon_b}, {@code muon_c}: the Newton-Schulz coefficients (defaults kept). */
    public Builder muonCoefficients(float a, float b, float c) {
      this.muonA = a;
      this.muonB = b;
      this.muonC = c;
      return this;
    }

    /** Keras's {@code adam_lr_ratio}: the AdamW step's learning rate over the main one, {@code >= 0} (default 1). */
    public Builder adamLrRatio(float adamLrRatio) {
      this.adamLrRatio = adamLrRatio;
      return this;
    }

    /** Keras's {@code momentum} of Muon's step, in [0, 1) (default 0.95). */
    public Builder momentum(float momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Keras's {@code ns_steps}: Newton-Schulz iterations, {@code >= 0} (default 5). */
    public Builder nsSteps(int nsSteps) {
      this.nsSteps = nsSteps;
      return this;
    }

    /** Keras's {@code nesterov}: whether Muon's step uses Nesterov momentum (default true). */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    /**
     * Keras's {@code rms_rate}: Muon's step is scaled by {@code sqrt(max(rows, cols)) * rmsRate}; positive, or null
     * for no scaling (default 0.2).
     */
    public Builder rmsRate(Float rmsRate) {
      this.rmsRate = rmsRate;
      return this;
    }

    /**
     * The optimizer.
     *
     * @throws IllegalArgumentException for a setting out of its range, naming it and the value received
     */
    public Muon build() {
      return new Muon(this);
    }

    private MuonUpdate.Settings settings() {
      return new MuonUpdate.Settings(adamBeta1, adamBeta2, adamWeightDecay, epsilon, excludeLayers,
          excludeEmbeddings, muonA, muonB, muonC, adamLrRatio, momentum, nsSteps, nesterov, rmsRate);
    }

    private MuonUpdate newRule() {
      String name = Backend.uniqueName("muon");
      return schedule == null ? new MuonUpdate(name, learningRate, settings())
          : new MuonUpdate(name, inGraph(schedule), settings());
    }
  }
}
