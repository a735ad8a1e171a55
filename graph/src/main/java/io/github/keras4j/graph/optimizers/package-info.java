/**
 * Update ops of gradient-descent rules, built on TensorFlow's {@code tf.train.apply*} kernels or, where no
 * kernel matches Keras 3's formula, on plain assign ops.
 *
 * <p>{@link io.github.keras4j.graph.optimizers.GraphOptimizer} holds what every rule shares (the learning-rate
 * variable or a {@link io.github.keras4j.graph.optimizers.LearningRateFunction} of the step counter, the int64
 * step counter, gradient clipping, weight decay, the loss scale factor, slots, the barrier that makes steps
 * deterministic), with two package-private helpers for Keras 3's {@code gradient_accumulation_steps}
 * ({@code GradientAccumulation}) and {@code use_ema} ({@code MovingAverages});
 * {@code SgdUpdate}, {@code RmsPropUpdate}, {@code AdagradUpdate}, {@code AdamUpdate}, {@code AdamaxUpdate},
 * {@code NadamUpdate}, {@code AdadeltaUpdate}, {@code LionUpdate}, {@code LambUpdate}, {@code FtrlUpdate},
 * {@code AdafactorUpdate}, {@code MuonUpdate} and {@code ScheduleFreeAdamWUpdate} each document how their arithmetic
 * compares with Keras 3's {@code keras/src/optimizers}.
 */
package io.github.keras4j.graph.optimizers;
