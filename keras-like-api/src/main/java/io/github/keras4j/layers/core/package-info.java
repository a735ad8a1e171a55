/**
 * Core layers: Dense, TernaryDense, EinsumDense, Activation, Embedding, ReversibleEmbedding, Lambda, Masking,
 * Identity.
 */
package io.github.keras4j.layers.core;
