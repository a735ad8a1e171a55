/** Core layers: Dense, Activation, Embedding, Lambda, Masking, Identity. */
package io.github.keras4j.layers.core;
