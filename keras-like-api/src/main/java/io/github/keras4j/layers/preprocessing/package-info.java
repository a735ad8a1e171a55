/**
 * Preprocessing layers, as Keras 3's {@code keras.layers} preprocessing family: layers that transform raw inputs
 * inside the model, so a saved model takes the same raw data it was trained on.
 * {@link io.github.keras4j.layers.preprocessing.Rescaling} multiplies and shifts values (pixels to {@code [0, 1]});
 * {@link io.github.keras4j.layers.preprocessing.Normalization} standardizes features with a mean and variance
 * learned by {@code adapt(data)} and saved with the model.
 *
 * <p>Categorical layers turn values into indices and encodings (float32 holding whole numbers, since Keras4J models
 * are float32; no gradient flows through them):
 * {@link io.github.keras4j.layers.preprocessing.Discretization} buckets values by given or adapted (quantile)
 * boundaries, {@link io.github.keras4j.layers.preprocessing.CategoryEncoding} one-hot, multi-hot or count encodes
 * indices, {@link io.github.keras4j.layers.preprocessing.IntegerLookup} maps tokens to vocabulary indices (given or
 * adapted, saved with the model) and back, {@link io.github.keras4j.layers.preprocessing.Hashing} hashes
 * integers into bins and {@link io.github.keras4j.layers.preprocessing.HashedCrossing} crosses features into hashed
 * bins, both as Keras's TensorFlow backend does. {@link io.github.keras4j.layers.preprocessing.Pipeline} applies a
 * list of layers in order.
 *
 * <p>Text layers take string inputs ({@code Input.ofStrings(...)}, fed {@code String[]} / {@code String[][]}):
 * {@link io.github.keras4j.layers.preprocessing.StringLookup} maps strings to vocabulary indices (given or adapted)
 * and back, and {@link io.github.keras4j.layers.preprocessing.TextVectorization} standardizes, splits and indexes
 * text into token sequences or multi-hot, count and TF-IDF vectors, all in the model's graph.
 *
 * <p>Image layers take batches of channels-last images {@code (batch, height, width, channels)}.
 * {@link io.github.keras4j.layers.preprocessing.Resizing} and
 * {@link io.github.keras4j.layers.preprocessing.CenterCrop} resize and crop (TensorFlow's half-pixel-centre
 * resizing, as Keras's TensorFlow backend); {@link io.github.keras4j.layers.preprocessing.RandomCrop} crops a random
 * window in training and resizes in inference. The augmentation layers, all subclasses of
 * {@link io.github.keras4j.layers.preprocessing.BaseImagePreprocessingLayer}, change the images randomly in
 * training only and are the identity in inference:
 * {@link io.github.keras4j.layers.preprocessing.RandomFlip},
 * {@link io.github.keras4j.layers.preprocessing.RandomTranslation},
 * {@link io.github.keras4j.layers.preprocessing.RandomRotation} and
 * {@link io.github.keras4j.layers.preprocessing.RandomZoom} (affine resampling with a fill mode, see
 * {@link io.github.keras4j.layers.preprocessing.BaseAffineTransformLayer}; gradients flow back through them as in
 * Keras on TensorFlow, so they may follow trainable layers),
 * {@link io.github.keras4j.layers.preprocessing.RandomContrast},
 * {@link io.github.keras4j.layers.preprocessing.RandomBrightness}, and the colour layers
 * {@link io.github.keras4j.layers.preprocessing.RandomGrayscale},
 * {@link io.github.keras4j.layers.preprocessing.RandomInvert},
 * {@link io.github.keras4j.layers.preprocessing.Solarization},
 * {@link io.github.keras4j.layers.preprocessing.RandomPosterization},
 * {@link io.github.keras4j.layers.preprocessing.RandomSaturation},
 * {@link io.github.keras4j.layers.preprocessing.RandomHue},
 * {@link io.github.keras4j.layers.preprocessing.RandomColorDegeneration} and
 * {@link io.github.keras4j.layers.preprocessing.RandomColorJitter} (HSV and grayscale built from ops with gradients;
 * RandomPosterization passes none, as in Keras). Their draws are seeded (the layer's seed, or the
 * global one from {@code Backend.setRandomSeed}), so runs repeat exactly, and every training step draws anew.
 *
 * <p>{@link io.github.keras4j.layers.preprocessing.RandomPerspective} moves the corners and resamples with the
 * homography they give; {@link io.github.keras4j.layers.preprocessing.MixUp} and
 * {@link io.github.keras4j.layers.preprocessing.CutMix} mix each image with another of the batch (in a model the
 * images only; their {@code transformLabels} mixes labels with the same draws).
 * {@link io.github.keras4j.layers.preprocessing.RandomElasticTransform} displaces each pixel by a smoothed random
 * field. {@link io.github.keras4j.layers.preprocessing.ContrastLimitedAdaptiveHistogramEqualization} equalizes
 * contrast tile by tile, in inference too. The policies {@link io.github.keras4j.layers.preprocessing.RandAugment}
 * and {@link io.github.keras4j.layers.preprocessing.AugMix} combine the augmentation layers above.
 *
 * <p>Audio layers take batches of raw signals. {@link io.github.keras4j.layers.preprocessing.STFTSpectrogram} computes
 * short-time Fourier transforms (log, magnitude, power spectral density, real, imaginary, angle or both parts) as a
 * strided convolution with DFT kernel weights, trainable like Keras's; {@link
 * io.github.keras4j.layers.preprocessing.MelSpectrogram} computes mel spectrograms in decibels as Keras's TensorFlow
 * backend (centred reflect-padded STFT, HTK mel triangles, {@code power_to_db}). Both pass gradients to their
 * inputs.
 *
 * <pre>{@code
 * KerasTensor in = Input.of(32, 32, 3);
 * KerasTensor x = new Rescaling(1 / 255.0).apply(in);
 * x = new RandomFlip("horizontal").apply(x);
 * x = new RandomRotation(0.1).apply(x);
 * x = new RandomZoom(0.1).apply(x);
 * }</pre>
 */
package io.github.keras4j.layers.preprocessing;
