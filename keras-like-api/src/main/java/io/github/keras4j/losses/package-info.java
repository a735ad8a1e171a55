/**
 * Loss functions, after Keras 3's {@code keras.losses}: regression losses
 * ({@link io.github.keras4j.losses.MeanSquaredError}, {@link io.github.keras4j.losses.MeanAbsoluteError},
 * {@link io.github.keras4j.losses.Huber}), cross-entropies on probabilities or logits and their focal variants
 * ({@link io.github.keras4j.losses.BinaryFocalCrossentropy},
 * {@link io.github.keras4j.losses.CategoricalFocalCrossentropy}),
 * overlap losses for segmentation ({@link io.github.keras4j.losses.Dice}, {@link io.github.keras4j.losses.Tversky}),
 * the metric-learning {@link io.github.keras4j.losses.Circle} loss, the noise-robust
 * {@link io.github.keras4j.losses.CategoricalGeneralizedCrossEntropy}, and lookup by Keras id
 * ({@link io.github.keras4j.losses.Losses}). Every loss is differentiable with TensorFlow's gradient registry.
 */
package io.github.keras4j.losses;
