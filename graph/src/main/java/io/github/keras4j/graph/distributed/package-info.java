/**
 * TensorFlow's distributed runtime from TF Java: sessions on a remote master, and the servers of a cluster.
 */
package io.github.keras4j.graph.distributed;
