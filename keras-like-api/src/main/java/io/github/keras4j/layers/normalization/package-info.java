/**
 * Normalization layers: {@link io.github.keras4j.layers.normalization.BatchNormalization} (batch statistics in
 * training, moving statistics in inference), {@link io.github.keras4j.layers.normalization.LayerNormalization}
 * (per-sample statistics), {@link io.github.keras4j.layers.normalization.GroupNormalization} (per-sample statistics
 * over groups of channels) and {@link io.github.keras4j.layers.normalization.UnitNormalization} (unit L2 norm).
 */
package io.github.keras4j.layers.normalization;
