/**
 * Convolution layers, channels-last: {@link io.github.keras4j.layers.convolutional.Conv1D},
 * {@link io.github.keras4j.layers.convolutional.Conv2D}, {@link io.github.keras4j.layers.convolutional.Conv3D},
 * the transposed {@link io.github.keras4j.layers.convolutional.Conv1DTranspose},
 * {@link io.github.keras4j.layers.convolutional.Conv2DTranspose} and
 * {@link io.github.keras4j.layers.convolutional.Conv3DTranspose} (sharing
 * {@link io.github.keras4j.layers.convolutional.BaseConvTranspose}),
 * {@link io.github.keras4j.layers.convolutional.DepthwiseConv1D} and
 * {@link io.github.keras4j.layers.convolutional.DepthwiseConv2D} (sharing
 * {@link io.github.keras4j.layers.convolutional.BaseDepthwiseConv}),
 * {@link io.github.keras4j.layers.convolutional.SeparableConv1D} and
 * {@link io.github.keras4j.layers.convolutional.SeparableConv2D} (sharing
 * {@link io.github.keras4j.layers.convolutional.BaseSeparableConv}), all sharing
 * {@link io.github.keras4j.layers.convolutional.BaseConv}. Conv3D and Conv3DTranspose register the gradients of
 * TensorFlow's 3-D convolution ops, which its C++ registry lacks, the first time they are called.
 */
package io.github.keras4j.layers.convolutional;
