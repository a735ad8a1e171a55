/**
 * Recurrent time-series examples: the course notebook's ozone and S&amp;P 500 forecasts ({@link
 * io.github.keras4j.examples.timeseries.OzoneRnn}, {@link io.github.keras4j.examples.timeseries.Sp500Rnn}) and
 * keras.io's Jena weather forecast ({@link io.github.keras4j.examples.timeseries.WeatherForecast}), with their sliding
 * windows made by the library's {@link io.github.keras4j.data.Timeseries} (Keras's
 * {@code timeseries_dataset_from_array}).
 */
package io.github.keras4j.examples.timeseries;
