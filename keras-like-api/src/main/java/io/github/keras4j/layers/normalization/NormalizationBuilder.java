package io.github.keras4j.layers.normalization;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.initializers.Initializers;
import io.github.keras4j.layers.WeightSettings;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;

/**
 * The settings {@link BatchNormalization} and {@link LayerNormalization} share, with Keras's defaults: the
 * name, {@code epsilon} (1e-3), and the learned {@code beta} (offset, added when {@code center}) and
 * {@code gamma} (scale, applied when {@code scale}) with their initializers, regularizers and constraints.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class NormalizationBuilder<B extends NormalizationBuilder<B>> {

  String name;
  double epsilon = 1e-3;
  boolean center = true;
  boolean scale = true;
  final WeightSettings.Spec beta = new WeightSettings.Spec("beta", "zeros");
  final WeightSettings.Spec gamma = new WeightSettings.Spec("gamma", "ones");

  NormalizationBuilder() {}

  /** This builder, typed. */
  abstract B self();

  /** The layer's name. */
  public B name(String name) {
    this.name = name;
    return self();
  }

  /** Added to the variance before the square root; default 1e-3. */
  public B epsilon(double epsilon) {
    this.epsilon = epsilon;
    return self();
  }

  /** Whether to add {@code beta}; default true. */
  public B center(boolean center) {
    this.center = center;
    return self();
  }

  /** Whether to multiply by {@code gamma}; default true. */
  public B scale(boolean scale) {
    this.scale = scale;
    return self();
  }

  /** Initializer of {@code beta} by id; default {@code "zeros"}. */
  public B betaInitializer(String id) {
    return betaInitializer(Initializers.get(id));
  }

  /** Initializer of {@code beta}. */
  public B betaInitializer(Initializer initializer) {
    beta.initializer(initializer);
    return self();
  }

  /** Initializer of {@code gamma} by id; default {@code "ones"}. */
  public B gammaInitializer(String id) {
    return gammaInitializer(Initializers.get(id));
  }

  /** Initializer of {@code gamma}. */
  public B gammaInitializer(Initializer initializer) {
    gamma.initializer(initializer);
    return self();
  }

  /** Regularizer of {@code beta} by id ({@code "l2"}); null for none. */
  public B betaRegularizer(String id) {
    return betaRegularizer(Regularizers.get(id));
  }

  /** Regularizer of {@code beta}; null for none. */
  public B betaRegularizer(Regularizer regularizer) {
    beta.regularizer(regularizer);
    return self();
  }

  /** Regularizer of {@code gamma} by id; null for none. */
  public B gammaRegularizer(String id) {
    return gammaRegularizer(Regularizers.get(id));
  }

  /** Regularizer of {@code gamma}; null for none. */
  public B gammaRegularizer(Regularizer regularizer) {
    gamma.regularizer(regularizer);
    return self();
  }

  /** Constraint of {@code beta} by id ({@code "non_neg"}); null for none. */
  public B betaConstraint(String id) {
    return betaConstraint(Constraints.get(id));
  }

  /** Constraint of {@code beta}; null for none. */
  public B betaConstraint(Constraint constraint) {
    beta.constraint(constraint);
    return self();
  }

  /** Constraint of {@code gamma} by id; null for none. */
  public B gammaConstraint(String id) {
    return gammaConstraint(Constraints.get(id));
  }

  /** Constraint of {@code gamma}; null for none. */
  public B gammaConstraint(Constraint constraint) {
    gamma.constraint(constraint);
    return self();
  }
}
