/**
 * Synchronous data-parallel training across devices, driven from one client (Keras 3's
 * {@code keras.distribution}): {@link io.github.keras4j.distribution.DataParallel},
 * {@link io.github.keras4j.distribution.Distributions#set} and
 * {@link io.github.keras4j.distribution.Distributions#listDevices}.
 *
 * <pre>{@code
 * Distributions.set(DataParallel.builder().devices("/cpu:0", "/cpu:1").localCpuDevices(2).build());
 * Model model = ...;                 // variables are created on the variable device
 * model.compile("adam", "mse");      // picks up the distribution
 * model.fit(x, y, new FitOptions().batchSize(64));   // each batch split over the two devices
 * }</pre>
 */
package io.github.keras4j.distribution;
