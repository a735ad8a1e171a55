/**
 * Keras's {@code keras.utils} array helpers for preparing data: {@link io.github.keras4j.utils.Utils#toCategorical}
 * (one-hot labels) and {@link io.github.keras4j.utils.Utils#padSequences} (sequences of different lengths to one).
 * {@link io.github.keras4j.utils.ModelPlot} draws a model's layer graph ({@code model_to_dot}, {@code plot_model}).
 * {@link io.github.keras4j.utils.FileUtils#getFile} downloads and caches files ({@code get_file}, with
 * {@link io.github.keras4j.utils.GetFileOptions} for its optional arguments), in {@code ~/.keras4j} or
 * {@code $KERAS4J_HOME}. The time-series windows of {@code timeseries_dataset_from_array} are
 * {@link io.github.keras4j.data.Timeseries}.
 */
package io.github.keras4j.utils;
