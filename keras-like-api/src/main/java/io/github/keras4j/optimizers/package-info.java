/**
 * Keras's optimizers with Keras's names and defaults: {@link io.github.keras4j.optimizers.SGD},
 * {@link io.github.keras4j.optimizers.RMSprop}, {@link io.github.keras4j.optimizers.Adagrad},
 * {@link io.github.keras4j.optimizers.Adam}, {@link io.github.keras4j.optimizers.AdamW},
 * {@link io.github.keras4j.optimizers.Adamax}, {@link io.github.keras4j.optimizers.Nadam},
 * {@link io.github.keras4j.optimizers.Adadelta}, {@link io.github.keras4j.optimizers.Lion},
 * {@link io.github.keras4j.optimizers.Lamb},
 * {@link io.github.keras4j.optimizers.Ftrl}, {@link io.github.keras4j.optimizers.Adafactor},
 * {@link io.github.keras4j.optimizers.Muon}, {@link io.github.keras4j.optimizers.ScheduleFreeAdamW}, and
 * {@link io.github.keras4j.optimizers.Optimizers#get(String)} for string ids such as {@code "adam"}. Every
 * optimizer takes a number or a {@link io.github.keras4j.optimizers.schedules.LearningRateSchedule} as its
 * learning rate, counts its steps
 * ({@link io.github.keras4j.optimizers.Optimizer#iterations()}) and can clip gradients
 * ({@link io.github.keras4j.optimizers.Optimizer#clipnorm(float)}, {@code clipvalue}, {@code globalClipnorm}) and
 * decay weights ({@link io.github.keras4j.optimizers.Optimizer#weightDecay(float)}), accumulate gradients over
 * several steps ({@link io.github.keras4j.optimizers.Optimizer#gradientAccumulationSteps(Integer)}), keep a moving
 * average of the weights ({@link io.github.keras4j.optimizers.Optimizer#useEma(boolean)}) and scale the loss
 * ({@link io.github.keras4j.optimizers.Optimizer#lossScaleFactor(Float)}). Two wrappers combine them:
 * {@link io.github.keras4j.optimizers.LossScaleOptimizer} (dynamic loss scaling) and
 * {@link io.github.keras4j.optimizers.MultiOptimizer} (an optimizer per group of variables, chosen by an
 * {@link io.github.keras4j.optimizers.OptimizerMap}).
 *
 * <pre>{@code model.compile(new SGD(0.1f, 0.9f), "mse");}</pre>
 */
package io.github.keras4j.optimizers;
