/**
 * Weight initializers, Keras's {@code keras.initializers}: {@link io.github.keras4j.initializers.GlorotUniform}
 * (the default kernel initializer), {@link io.github.keras4j.initializers.Zeros} (the default bias initializer),
 * {@link io.github.keras4j.initializers.Orthogonal} (the default recurrent initializer), the other
 * variance-scaling and random initializers, {@link io.github.keras4j.initializers.STFT} (the Fourier kernels of
 * {@code STFTSpectrogram}), and lookup by id through
 * {@link io.github.keras4j.initializers.Initializers#get(String)}.
 *
 * <p>Random initializers use TF's stateless random ops: a value depends only on its seed.
 */
package io.github.keras4j.initializers;
