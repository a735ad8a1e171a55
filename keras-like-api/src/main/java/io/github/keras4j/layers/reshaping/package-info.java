/**
 * Reshaping layers: {@link io.github.keras4j.layers.reshaping.Flatten},
 * {@link io.github.keras4j.layers.reshaping.Reshape}, {@link io.github.keras4j.layers.reshaping.Permute},
 * {@link io.github.keras4j.layers.reshaping.RepeatVector}, for sequences
 * {@link io.github.keras4j.layers.reshaping.ZeroPadding1D}, {@link io.github.keras4j.layers.reshaping.Cropping1D} and
 * {@link io.github.keras4j.layers.reshaping.UpSampling1D}, for images (channels-last)
 * {@link io.github.keras4j.layers.reshaping.ZeroPadding2D}, {@link io.github.keras4j.layers.reshaping.Cropping2D}
 * and {@link io.github.keras4j.layers.reshaping.UpSampling2D}, and for volumes (channels-last)
 * {@link io.github.keras4j.layers.reshaping.ZeroPadding3D}, {@link io.github.keras4j.layers.reshaping.Cropping3D}
 * and {@link io.github.keras4j.layers.reshaping.UpSampling3D}.
 */
package io.github.keras4j.layers.reshaping;
