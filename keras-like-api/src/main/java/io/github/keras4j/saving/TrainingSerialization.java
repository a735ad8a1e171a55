package io.github.keras4j.saving;

import io.github.keras4j.losses.BinaryCrossentropy;
import io.github.keras4j.losses.CategoricalCrossentropy;
import io.github.keras4j.losses.Huber;
import io.github.keras4j.losses.Loss;
import io.github.keras4j.losses.Losses;
import io.github.keras4j.losses.SparseCategoricalCrossentropy;
import io.github.keras4j.metrics.BinaryAccuracy;
import io.github.keras4j.metrics.CategoricalAccuracy;
import io.github.keras4j.metrics.AUC;
import io.github.keras4j.metrics.Metric;
import io.github.keras4j.metrics.Metrics;
import io.github.keras4j.metrics.Precision;
import io.github.keras4j.metrics.R2Score;
import io.github.keras4j.metrics.Recall;
import io.github.keras4j.metrics.SparseCategoricalAccuracy;
import io.github.keras4j.metrics.SparseTopKCategoricalAccuracy;
import io.github.keras4j.metrics.TopKCategoricalAccuracy;
import io.github.keras4j.optimizers.Adadelta;
import io.github.keras4j.optimizers.Adafactor;
import io.github.keras4j.optimizers.Adagrad;
import io.github.keras4j.optimizers.Adam;
import io.github.keras4j.optimizers.AdamW;
import io.github.keras4j.optimizers.Adamax;
import io.github.keras4j.optimizers.Ftrl;
import io.github.keras4j.optimizers.Lamb;
import io.github.keras4j.optimizers.Lion;
import io.github.keras4j.optimizers.LossScaleOptimizer;
import io.github.keras4j.optimizers.MultiOptimizer;
import io.github.keras4j.optimizers.Muon;
import io.github.keras4j.optimizers.Nadam;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.optimizers.RMSprop;
import io.github.keras4j.optimizers.SGD;
import io.github.keras4j.optimizers.ScheduleFreeAdamW;
import io.github.keras4j.optimizers.schedules.CosineDecay;
import io.github.keras4j.optimizers.schedules.CosineDecayRestarts;
import io.github.keras4j.optimizers.schedules.ExponentialDecay;
import io.github.keras4j.optimizers.schedules.InverseTimeDecay;
import io.github.keras4j.optimizers.schedules.LearningRateSchedule;
import io.github.keras4j.optimizers.schedules.PiecewiseConstantDecay;
import io.github.keras4j.optimizers.schedules.PolynomialDecay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimizers, learning-rate schedules, losses and metrics to and from their saved form
 * {@code {"class_name": ..., "config": {...}}}, for a saved model's compile config: Keras's
 * {@code keras.optimizers.serialize}/{@code deserialize} and their counterparts for losses and metrics.
 *
 * <p>Built-in classes are rebuilt from their configs; other classes through a {@link CustomObjects} factory. A
 * loss or metric made from a function ({@code Loss.of(name, fn)}) is saved under its name as its class name, so
 * registering a factory for that name rebuilds it. Metrics given to {@code compile} as string ids are saved as
 * those ids and resolved again on compile (so {@code "accuracy"} picks its kind from the shapes again).
 *
 * <p>Java differences from Keras: the optimizer's {@code name} is not restored (Keras4J names optimizers
 * itself).
 */
public final class TrainingSerialization {

  private TrainingSerialization() {}

  private static Map<String, Object> classAndConfig(String className, Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("class_name", className);
    out.put("config", new LinkedHashMap<>(config));
    return out;
  }

  /** The class name of an object, or {@code fallback} for an anonymous class (a function made into a loss). */
  private static String className(Object o, String fallback) {
    String simple = o.getClass().getSimpleName();
    return simple.isEmpty() || o.getClass().isAnonymousClass() ? fallback : simple;
  }

  private static <T> T custom(ObjectFactory<? extends T> factory, Object spec, CustomObjects custom) {
    return factory.fromConfig(new Config(Map.of(), Config.classNameOf(spec), custom).nestedConfig(spec));
  }

  private static String requireClassName(Object spec, String kind) {
    String className = Config.classNameOf(spec);
    if (className == null) {
      throw new IllegalArgumentException("A saved " + kind + " must be {\"class_name\": ..., \"config\": {...}}, "
          + "found " + Json.describe(spec));
    }
    return className;
  }

  // ------------------------------------------------------------------ optimizers

  /** {@code {"class_name": "Adam", "config": optimizer.getConfig()}}. */
  public static Map<String, Object> serializeOptimizer(Optimizer optimizer) {
    return classAndConfig(className(optimizer, optimizer.name()), optimizer.getConfig());
  }

  /**
   * Rebuilds an optimizer: {@code SGD}, {@code Adam}, {@code AdamW}, {@code RMSprop}, {@code Adagrad},
   * {@code Adamax}, {@code Nadam}, {@code Adadelta}, {@code Lion}, {@code Lamb}, {@code Ftrl}, {@code Adafactor},
   * {@code Muon}, {@code ScheduleFreeAdamW} from their configs (a number or a schedule as {@code learning_rate}, the
   * weight decay, clipping, EMA, loss scale and gradient accumulation settings), the wrappers
   * {@code LossScaleOptimizer} and {@code MultiOptimizer} (see their {@code fromConfig}), other classes through {@code custom}.
   *
   * @throws IllegalArgumentException for an unknown class or a bad config
   */
  public static Optimizer deserializeOptimizer(Object spec, CustomObjects custom) {
    String className = requireClassName(spec, "optimizer");
    ObjectFactory<? extends Optimizer> factory = custom == null ? null : custom.optimizerFactory(className);
    if (factory != null) {
      return custom(factory, spec, custom);
    }
    Config c = new Config(Map.of(), className, custom).nestedConfig(spec);
    if (className.equals("LossScaleOptimizer")) {
      return LossScaleOptimizer.fromConfig(c);
    }
    if (className.equals("MultiOptimizer")) {
      return MultiOptimizer.fromConfig(c);
    }
    Object lr = c.get("learning_rate");
    LearningRateSchedule schedule = lr instanceof Map ? deserializeSchedule(lr) : null;
    float rate = schedule != null ? Float.NaN : c.getFloat("learning_rate", Float.NaN);
    Optimizer o = switch (className) {
      case "SGD" -> {
        float momentum = c.getFloat("momentum", 0f);
        boolean nesterov = c.getBoolean("nesterov", false);
        yield schedule != null ? new SGD(schedule, momentum, nesterov)
            : new SGD(Float.isNaN(rate) ? 0.01f : rate, momentum, nesterov);
      }
      case "Adam" -> {
        float beta1 = c.getFloat("beta_1", 0.9f);
        float beta2 = c.getFloat("beta_2", 0.999f);
        float epsilon = c.getFloat("epsilon", 1e-7f);
        boolean amsgrad = c.getBoolean("amsgrad", false);
        yield schedule != null ? new Adam(schedule, beta1, beta2, epsilon, amsgrad)
            : new Adam(Float.isNaN(rate) ? 0.001f : rate, beta1, beta2, epsilon, amsgrad);
      }
      case "AdamW" -> {
        float weightDecay = c.getFloat("weight_decay", 0.004f);
        float beta1 = c.getFloat("beta_1", 0.9f);
        float beta2 = c.getFloat("beta_2", 0.999f);
        float epsilon = c.getFloat("epsilon", 1e-7f);
        boolean amsgrad = c.getBoolean("amsgrad", false);
        yield schedule != null ? new AdamW(schedule, weightDecay, beta1, beta2, epsilon, amsgrad)
            : new AdamW(Float.isNaN(rate) ? 0.001f : rate, weightDecay, beta1, beta2, epsilon, amsgrad);
      }
      case "Adamax" -> {
        float beta1 = c.getFloat("beta_1", 0.9f);
        float beta2 = c.getFloat("beta_2", 0.999f);
        float epsilon = c.getFloat("epsilon", 1e-7f);
        yield schedule != null ? new Adamax(schedule, beta1, beta2, epsilon)
            : new Adamax(Float.isNaN(rate) ? 0.001f : rate, beta1, beta2, epsilon);
      }
      case "Nadam" -> {
        float beta1 = c.getFloat("beta_1", 0.9f);
        float beta2 = c.getFloat("beta_2", 0.999f);
        float epsilon = c.getFloat("epsilon", 1e-7f);
        yield schedule != null ? new Nadam(schedule, beta1, beta2, epsilon)
            : new Nadam(Float.isNaN(rate) ? 0.001f : rate, beta1, beta2, epsilon);
      }
      case "Adadelta" -> {
        float rho = c.getFloat("rho", 0.95f);
        float epsilon = c.getFloat("epsilon", 1e-7f);
        yield schedule != null ? new Adadelta(schedule, rho, epsilon)
            : new Adadelta(Float.isNaN(rate) ? 0.001f : rate, rho, epsilon);
      }
      case "Lion" -> {
        float beta1 = c.getFloat("beta_1", 0.9f);
        float beta2 = c.getFloat("beta_2", 0.99f);
        yield schedule != null ? new Lion(schedule, beta1, beta2)
            : new Lion(Float.isNaN(rate) ? 0.001f : rate, beta1, beta2);
      }
      case "Lamb" -> {
        float beta1 = c.getFloat("beta_1", 0.9f);
        float beta2 = c.getFloat("beta_2", 0.999f);
        float epsilon = c.getFloat("epsilon", 1e-7f);
        yield schedule != null ? new Lamb(schedule, beta1, beta2, epsilon)
            : new Lamb(Float.isNaN(rate) ? 0.001f : rate, beta1, beta2, epsilon);
      }
      case "RMSprop" -> {
        float rho = c.getFloat("rho", 0.9f);
        float momentum = c.getFloat("momentum", 0f);
        float epsilon = c.getFloat("epsilon", 1e-7f);
        boolean centered = c.getBoolean("centered", false);
        yield schedule != null ? new RMSprop(schedule, rho, momentum, epsilon, centered)
            : new RMSprop(Float.isNaN(rate) ? 0.001f : rate, rho, momentum, epsilon, centered);
      }
      case "Adagrad" -> {
        float initial = c.getFloat("initial_accumulator_value", 0.1f);
        float epsilon = c.getFloat("epsilon", 1e-7f);
        yield schedule != null ? new Adagrad(schedule, initial, epsilon)
            : new Adagrad(Float.isNaN(rate) ? 0.001f : rate, initial, epsilon);
      }
      case "Ftrl" -> {
        float power = c.getFloat("learning_rate_power", -0.5f);
        float initial = c.getFloat("initial_accumulator_value", 0.1f);
        float l1 = c.getFloat("l1_regularization_strength", 0f);
        float l2 = c.getFloat("l2_regularization_strength", 0f);
        float l2Shrinkage = c.getFloat("l2_shrinkage_regularization_strength", 0f);
        float beta = c.getFloat("beta", 0f);
        yield schedule != null ? new Ftrl(schedule, power, initial, l1, l2, l2Shrinkage, beta)
            : new Ftrl(Float.isNaN(rate) ? 0.001f : rate, power, initial, l1, l2, l2Shrinkage, beta);
      }
      case "Adafactor" -> {
        float beta2Decay = c.getFloat("beta_2_decay", -0.8f);
        float epsilon1 = c.getFloat("epsilon_1", 1e-30f);
        float epsilon2 = c.getFloat("epsilon_2", 1e-3f);
        float clipThreshold = c.getFloat("clip_threshold", 1f);
        boolean relativeStep = c.getBoolean("relative_step", true);
        yield schedule != null ? new Adafactor(schedule, beta2Decay, epsilon1, epsilon2, clipThreshold, relativeStep)
            : new Adafactor(Float.isNaN(rate) ? 0.001f : rate, beta2Decay, epsilon1, epsilon2, clipThreshold,
                relativeStep);
      }
      case "Muon" -> muon(c, schedule, rate);
      case "ScheduleFreeAdamW" -> {
        float beta1 = c.getFloat("beta_1", 0.9f);
        float beta2 = c.getFloat("beta_2", 0.999f);
        float epsilon = c.getFloat("epsilon", 1e-8f);
        int warmupSteps = c.getInt("warmup_steps", 0);
        yield schedule != null ? new ScheduleFreeAdamW(schedule, beta1, beta2, epsilon, warmupSteps)
            : new ScheduleFreeAdamW(Float.isNaN(rate) ? 0.0025f : rate, beta1, beta2, epsilon, warmupSteps);
      }
      default -> throw new IllegalArgumentException("Unknown optimizer class '" + className + "'. Built-in: SGD, "
          + "Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam, Adadelta, Lion, Lamb, Ftrl, Adafactor, Muon, "
          + "ScheduleFreeAdamW; register others with "
          + "new CustomObjects().optimizer(\"" + className + "\", config -> ...)");
    };
    if (c.has("weight_decay")) {
      o.weightDecay((float) c.getDouble("weight_decay"));
    }
    if (c.has("clipnorm")) {
      o.clipnorm((float) c.getDouble("clipnorm"));
    }
    if (c.has("clipvalue")) {
      o.clipvalue((float) c.getDouble("clipvalue"));
    }
    if (c.has("global_clipnorm")) {
      o.globalClipnorm((float) c.getDouble("global_clipnorm"));
    }
    if (c.has("ema_momentum")) {
      o.emaMomentum((float) c.getDouble("ema_momentum"));
    }
    if (c.has("ema_overwrite_frequency")) {
      o.emaOverwriteFrequency(c.getInt("ema_overwrite_frequency"));
    }
    o.useEma(c.getBoolean("use_ema", false));
    if (c.has("loss_scale_factor")) {
      o.lossScaleFactor((float) c.getDouble("loss_scale_factor"));
    }
    if (c.has("gradient_accumulation_steps")) {
      o.gradientAccumulationSteps(c.getInt("gradient_accumulation_steps"));
    }
    return o;
  }

  /**
   * Muon from its config: every Keras argument, {@code weight_decay}, {@code adam_weight_decay} and {@code rms_rate}
   * null when saved as null (Keras's {@code None}), Keras's defaults for absent keys.
   */
  private static Optimizer muon(Config c, LearningRateSchedule schedule, float rate) {
    Muon.Builder b = Muon.builder();
    if (schedule != null) {
      b.learningRate(schedule);
    } else {
      b.learningRate(Float.isNaN(rate) ? 0.001f : rate);
    }
    b.weightDecay(floatOrNull(c, "weight_decay", 0.004f)).adamWeightDecay(floatOrNull(c, "adam_weight_decay", 0.004f))
        .rmsRate(floatOrNull(c, "rms_rate", 0.2f))
        .adamBeta1(c.getFloat("adam_beta_1", 0.9f)).adamBeta2(c.getFloat("adam_beta_2", 0.999f))
        .epsilon(c.getFloat("epsilon", 1e-7f))
        .muonCoefficients(c.getFloat("muon_a", 3.4445f), c.getFloat("muon_b", -4.7750f), c.getFloat("muon_c", 2.0315f))
        .adamLrRatio(c.getFloat("adam_lr_ratio", 1f)).momentum(c.getFloat("momentum", 0.95f))
        .nsSteps(c.getInt("ns_steps", 5)).nesterov(c.getBoolean("nesterov", true))
        .excludeEmbeddings(c.getBoolean("exclude_embeddings", true));
    if (c.has("exclude_layers")) {
      List<String> layers = new ArrayList<>();
      for (Object o : c.getList("exclude_layers")) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException("Muon config: exclude_layers must be a list of strings, found "
              + Json.describe(o));
        }
        layers.add(s);
      }
      b.excludeLayers(layers);
    }
    return b.build();
  }

  /** A number as a float; null when saved as null; {@code absent} when the key is missing. */
  private static Float floatOrNull(Config c, String key, float absent) {
    if (!c.map().containsKey(key)) {
      return absent;
    }
    Double d = c.getDoubleOrNull(key);
    return d == null ? null : d.floatValue();
  }

  // ------------------------------------------------------------------ schedules

  /** {@code {"class_name": "ExponentialDecay", "config": schedule.getConfig()}}, as optimizers write it. */
  public static Map<String, Object> serializeSchedule(LearningRateSchedule schedule) {
    return classAndConfig(schedule.getClass().getSimpleName(), schedule.getConfig());
  }

  /**
   * Rebuilds a built-in learning-rate schedule ({@code ExponentialDecay}, {@code InverseTimeDecay},
   * {@code PolynomialDecay}, {@code CosineDecay}, {@code CosineDecayRestarts}, {@code PiecewiseConstantDecay}).
   *
   * @throws IllegalArgumentException for another class or a bad config
   */
  public static LearningRateSchedule deserializeSchedule(Object spec) {
    String className = requireClassName(spec, "learning-rate schedule");
    Config c = new Config(Map.of(), className, null).nestedConfig(spec);
    return switch (className) {
      case "ExponentialDecay" -> new ExponentialDecay(c.getDouble("initial_learning_rate"), c.getLong("decay_steps"),
          c.getDouble("decay_rate"), c.getBoolean("staircase", false));
      case "InverseTimeDecay" -> new InverseTimeDecay(c.getDouble("initial_learning_rate"), c.getLong("decay_steps"),
          c.getDouble("decay_rate"), c.getBoolean("staircase", false));
      case "PolynomialDecay" -> new PolynomialDecay(c.getDouble("initial_learning_rate"), c.getLong("decay_steps"),
          c.getDouble("end_learning_rate", 1e-4), c.getDouble("power", 1.0), c.getBoolean("cycle", false));
      case "CosineDecay" -> new CosineDecay(c.getDouble("initial_learning_rate"), c.getLong("decay_steps"),
          c.getDouble("alpha", 0.0), c.getDoubleOrNull("warmup_target"), c.getLong("warmup_steps"));
      case "CosineDecayRestarts" -> new CosineDecayRestarts(c.getDouble("initial_learning_rate"),
          c.getLong("first_decay_steps"), c.getDouble("t_mul", 2.0), c.getDouble("m_mul", 1.0),
          c.getDouble("alpha", 0.0));
      case "PiecewiseConstantDecay" -> {
        List<?> boundaries = c.getList("boundaries");
        List<?> values = c.getList("values");
        long[] b = new long[boundaries.size()];
        double[] v = new double[values.size()];
        for (int i = 0; i < b.length; i++) {
          b[i] = ((Number) boundaries.get(i)).longValue();
        }
        for (int i = 0; i < v.length; i++) {
          v[i] = ((Number) values.get(i)).doubleValue();
        }
        yield new PiecewiseConstantDecay(b, v);
      }
      default -> throw new IllegalArgumentException("Unknown learning-rate schedule class '" + className
          + "'. Built-in: ExponentialDecay, InverseTimeDecay, PolynomialDecay, CosineDecay, CosineDecayRestarts, "
          + "PiecewiseConstantDecay");
    };
  }

  // ------------------------------------------------------------------ losses

  /** {@code {"class_name": "MeanSquaredError", "config": {"name": "mse"}}}; a function loss under its name. */
  public static Map<String, Object> serializeLoss(Loss loss) {
    return classAndConfig(className(loss, loss.name()), loss.getConfig());
  }

  /**
   * Rebuilds a loss: a string id (as {@link Losses#get(String)}), a built-in class from its config, or a class (or
   * function loss name) registered in {@code custom}.
   *
   * @throws IllegalArgumentException for an unknown class (the message says how to register it)
   */
  public static Loss deserializeLoss(Object spec, CustomObjects custom) {
    if (spec instanceof String id) {
      return Losses.get(id);
    }
    String function = functionName(spec);
    if (function != null) {
      return deserializeLoss(function, custom);
    }
    String className = requireClassName(spec, "loss");
    ObjectFactory<? extends Loss> factory = custom == null ? null : custom.lossFactory(className);
    if (factory != null) {
      return custom(factory, spec, custom);
    }
    Config c = new Config(Map.of(), className, custom).nestedConfig(spec);
    String name = c.getString("name", null);
    // The camelCase keys are those Keras4J wrote before it used Keras's snake_case ones; old files still load.
    boolean fromLogits = c.getBoolean("from_logits", c.getBoolean("fromLogits", false));
    float smoothing = c.getFloat("label_smoothing", c.getFloat("labelSmoothing", 0f));
    Loss configured = Losses.fromConfig(className, c.map());
    if (configured != null) {
      return configured;
    }
    return switch (className) {
      case "Huber" -> new Huber(c.getFloat("delta", 1f), name == null ? "huber_loss" : name);
      case "BinaryCrossentropy" -> new BinaryCrossentropy(fromLogits, smoothing,
          name == null ? "binary_crossentropy" : name);
      case "CategoricalCrossentropy" -> new CategoricalCrossentropy(fromLogits, smoothing,
          name == null ? "categorical_crossentropy" : name);
      case "SparseCategoricalCrossentropy" -> new SparseCategoricalCrossentropy(fromLogits,
          name == null ? "sparse_categorical_crossentropy" : name);
      default -> throw new IllegalArgumentException("Unknown loss '" + className + "': it is not a built-in loss. "
          + "Register it when loading: new CustomObjects().loss(\"" + className + "\", config -> ...)");
    };
  }

  /**
   * The name of a Python function as Keras 3 serializes a loss or metric given as a function
   * ({@code {"module": "builtins", "class_name": "function", "config": "categorical_crossentropy", ...}}), or null for
   * any other spec.
   */
  private static String functionName(Object spec) {
    if (spec instanceof Map<?, ?> m && "function".equals(m.get("class_name")) && m.get("config") instanceof String f) {
      return f;
    }
    return null;
  }

  // ------------------------------------------------------------------ metrics

  /** A string id as is; a {@link Metric} as {@code {"class_name": ..., "config": m.getConfig()}}. */
  public static Object serializeMetric(Object metric) {
    if (metric instanceof String id) {
      return id;
    }
    Metric m = (Metric) metric;
    return classAndConfig(className(m, m.name()), new LinkedHashMap<>(m.getConfig()));
  }

  /**
   * Rebuilds a metric saved by {@link #serializeMetric}: a string id stays a string (resolved by compile), a built-in
   * class is rebuilt with its name, another class (or function metric name) through {@code custom}.
   *
   * @return a {@link String} id or a {@link Metric}
   * @throws IllegalArgumentException for an unknown class (the message says how to register it)
   */
  public static Object deserializeMetric(Object spec, CustomObjects custom) {
    if (spec instanceof String id) {
      return id;
    }
    String function = functionName(spec);
    if (function != null) {
      return function;
    }
    String className = requireClassName(spec, "metric");
    ObjectFactory<? extends Metric> factory = custom == null ? null : custom.metricFactory(className);
    if (factory != null) {
      return custom(factory, spec, custom);
    }
    Config c = new Config(Map.of(), className, custom).nestedConfig(spec);
    String name = c.getString("name", null);
    Metric builtin = Metrics.fromConfig(className, c);
    if (builtin != null) {
      return builtin;
    }
    return switch (className) {
      case "BinaryCrossentropy" -> new io.github.keras4j.metrics.BinaryCrossentropy(
          name == null ? "binary_crossentropy" : name, c.getBoolean("from_logits", false),
          c.getFloat("label_smoothing", 0f));
      case "CategoricalCrossentropy" -> new io.github.keras4j.metrics.CategoricalCrossentropy(
          name == null ? "categorical_crossentropy" : name, c.getBoolean("from_logits", false),
          c.getFloat("label_smoothing", 0f));
      case "SparseCategoricalCrossentropy" -> new io.github.keras4j.metrics.SparseCategoricalCrossentropy(
          name == null ? "sparse_categorical_crossentropy" : name, c.getBoolean("from_logits", false));
      case "R2Score" -> new R2Score(name == null ? "r2_score" : name,
          c.getString("class_aggregation", "uniform_average"), c.getInt("num_regressors", 0));
      case "TopKCategoricalAccuracy" -> new TopKCategoricalAccuracy(c.getInt("k", 5),
          name == null ? "top_k_categorical_accuracy" : name);
      case "SparseTopKCategoricalAccuracy" -> new SparseTopKCategoricalAccuracy(c.getInt("k", 5),
          name == null ? "sparse_top_k_categorical_accuracy" : name);
      case "BinaryAccuracy" -> new BinaryAccuracy(name == null ? "binary_accuracy" : name,
          c.getFloat("threshold", 0.5f));
      case "CategoricalAccuracy" -> name == null ? new CategoricalAccuracy() : new CategoricalAccuracy(name);
      case "SparseCategoricalAccuracy" -> name == null ? new SparseCategoricalAccuracy()
          : new SparseCategoricalAccuracy(name);
      case "MeanSquaredError" -> name == null ? new io.github.keras4j.metrics.MeanSquaredError()
          : new io.github.keras4j.metrics.MeanSquaredError(name);
      case "MeanAbsoluteError" -> name == null ? new io.github.keras4j.metrics.MeanAbsoluteError()
          : new io.github.keras4j.metrics.MeanAbsoluteError(name);
      case "Precision" -> new Precision(name == null ? "precision" : name, c.getFloat("thresholds", 0.5f),
          c.has("class_id") ? c.getInt("class_id") : null);
      case "Recall" -> new Recall(name == null ? "recall" : name, c.getFloat("thresholds", 0.5f),
          c.has("class_id") ? c.getInt("class_id") : null);
      case "AUC" -> new AUC(name == null ? "auc" : name, c.getInt("num_thresholds", 200), c.getString("curve", "ROC"),
          c.getString("summation_method", "interpolation"), c.getBoolean("from_logits", false));
      default -> throw new IllegalArgumentException("Unknown metric '" + className + "': it is not a built-in "
          + "metric. Register it when loading: new CustomObjects().metric(\"" + className + "\", config -> ...)");
    };
  }
}
