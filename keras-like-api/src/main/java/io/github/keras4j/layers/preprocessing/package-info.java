/**
 * Preprocessing layers, as Keras 3's {@code keras.layers} preprocessing family: layers that transform raw inputs
 * inside the model, so a saved model takes the same raw data it was trained on.
 * {@link io.github.keras4j.layers.preprocessing.Rescaling} multiplies and shifts values (pixels to {@code [0, 1]});
 * {@link io.github.keras4j.layers.preprocessing.Normalization} standardizes features with a mean and variance
 * learned by {@code adapt(data)} and saved with the model.
 */
package io.github.keras4j.layers.preprocessing;
