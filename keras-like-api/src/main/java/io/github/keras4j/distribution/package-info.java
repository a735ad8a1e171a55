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
 *
 * <p>On a TensorFlow cluster (servers started with {@code TaskServerMain}, or a {@code LocalCluster} of child JVMs
 * for trying it on one machine), {@link io.github.keras4j.distribution.DataParallel#fromCluster} or
 * {@link io.github.keras4j.distribution.DataParallel#fromTfConfig} put one replica on each worker task and the
 * variables on the parameter servers; this process is the client. A task that dies or hangs ends the run with a
 * {@link io.github.keras4j.graph.distributed.ClusterFailure} naming it; {@code BackupAndRestore} resumes after a
 * restart.
 *
 * <pre>{@code
 * Distributions.set(DataParallel.fromTfConfig(TfConfig.fromEnvironment().orElseThrow()));
 * }</pre>
 */
package io.github.keras4j.distribution;
