/**
 * Saving and loading whole models, as Keras's {@code keras.saving}: layers, initializers, regularizers,
 * constraints, optimizers, losses and metrics to and from their Keras-form configs
 * ({@code {"class_name": ..., "config": {...}}}), the model's architecture ({@link
 * io.github.keras4j.saving.ModelConfig}), registration of custom classes ({@link
 * io.github.keras4j.saving.CustomObjects}), the JSON reader and writer, the zip container
 * ({@link io.github.keras4j.saving.ModelArchive}), and the HDF5 writer and reader of Keras's weights files
 * ({@link io.github.keras4j.saving.H5Writer}, {@link io.github.keras4j.saving.H5Reader}). Users call
 * {@code model.save(path)}, {@code model.saveWeights(path)} and
 * {@link io.github.keras4j.models.Models#load(java.nio.file.Path)}. Keras's legacy HDF5 files ({@code .h5}: Keras 2
 * weights files, {@code model.save("x.h5")} files, the pretrained weights of the applications) are read by
 * {@link io.github.keras4j.saving.LegacyH5}, through {@code model.loadWeights(path)} and {@code Models.load(path)}.
 */
package io.github.keras4j.saving;
