/**
 * Learning-rate schedules, Keras's {@code keras.optimizers.schedules}: pass one to an optimizer instead of a
 * number and the learning rate of step {@code k} is the schedule's value at {@code k}, computed in the graph.
 * {@link io.github.keras4j.optimizers.schedules.ExponentialDecay},
 * {@link io.github.keras4j.optimizers.schedules.PiecewiseConstantDecay},
 * {@link io.github.keras4j.optimizers.schedules.InverseTimeDecay},
 * {@link io.github.keras4j.optimizers.schedules.PolynomialDecay},
 * {@link io.github.keras4j.optimizers.schedules.CosineDecay},
 * {@link io.github.keras4j.optimizers.schedules.CosineDecayRestarts}; subclass
 * {@link io.github.keras4j.optimizers.schedules.LearningRateSchedule} for your own.
 *
 * <pre>{@code model.compile(new Adam(new ExponentialDecay(0.01, 1000, 0.9)), "mse");}</pre>
 */
package io.github.keras4j.optimizers.schedules;
