package io.github.keras4j.layers;

import io.github.keras4j.constraints.Constraint;
import io.github.keras4j.constraints.Constraints;
import io.github.keras4j.initializers.Initializer;
import io.github.keras4j.regularizers.Regularizer;
import io.github.keras4j.regularizers.Regularizers;

/**
 * The kernel settings of a layer builder, with Keras's names and defaults: {@code kernelInitializer} (default
 * {@code "glorot_uniform"}), {@code kernelRegularizer} and {@code kernelConstraint} (default none). A builder
 * implements {@link #kernelSpec()} with a {@link WeightSettings.Spec} of prefix {@code "kernel"}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public interface KernelOptions<B> {

  /** The kernel's settings so far. */
  WeightSettings.Spec kernelSpec();

  /** This builder, typed as the concrete builder. */
  B self();

  /** The kernel initializer by Keras id; default {@code "glorot_uniform"}. */
  default B kernelInitializer(String id) {
    kernelSpec().initializer(id);
    return self();
  }

  /** Any kernel initializer. */
  default B kernelInitializer(Initializer initializer) {
    kernelSpec().initializer(initializer);
    return self();
  }

  /**
   * Penalty on the kernel by Keras id ({@code "l1"}, {@code "l2"}, {@code "l1_l2"}, {@code "orthogonal_regularizer"});
   * null for none.
   */
  default B kernelRegularizer(String id) {
    return kernelRegularizer(Regularizers.get(id));
  }

  /** Penalty on the kernel ({@code new L2(1e-4)}); null for none (the default). */
  default B kernelRegularizer(Regularizer regularizer) {
    kernelSpec().regularizer(regularizer);
    return self();
  }

  /** Constraint on the kernel by Keras id ({@code "max_norm"}, {@code "non_neg"}, ...); null for none. */
  default B kernelConstraint(String id) {
    return kernelConstraint(Constraints.get(id));
  }

  /** Constraint on the kernel, applied after every optimizer update; null for none (the default). */
  default B kernelConstraint(Constraint constraint) {
    kernelSpec().constraint(constraint);
    return self();
  }
}
