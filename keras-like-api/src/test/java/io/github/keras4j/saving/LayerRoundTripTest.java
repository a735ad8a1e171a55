package io.github.keras4j.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.constraints.MaxNorm;
import io.github.keras4j.constraints.MinMaxNorm;
import io.github.keras4j.constraints.NonNeg;
import io.github.keras4j.constraints.UnitNorm;
import io.github.keras4j.initializers.Constant;
import io.github.keras4j.initializers.HeUniform;
import io.github.keras4j.initializers.Orthogonal;
import io.github.keras4j.initializers.RandomNormal;
import io.github.keras4j.initializers.TruncatedNormal;
import io.github.keras4j.initializers.VarianceScaling;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.InputLayer;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.activations.ELU;
import io.github.keras4j.layers.activations.LeakyReLU;
import io.github.keras4j.layers.activations.PReLU;
import io.github.keras4j.layers.activations.ReLU;
import io.github.keras4j.layers.activations.Softmax;
import io.github.keras4j.layers.activations.Swish;
import io.github.keras4j.layers.attention.AdditiveAttention;
import io.github.keras4j.layers.attention.Attention;
import io.github.keras4j.layers.attention.GroupedQueryAttention;
import io.github.keras4j.layers.attention.MultiHeadAttention;
import io.github.keras4j.layers.convolutional.Conv1D;
import io.github.keras4j.layers.convolutional.Conv1DTranspose;
import io.github.keras4j.layers.convolutional.Conv2D;
import io.github.keras4j.layers.convolutional.Conv2DTranspose;
import io.github.keras4j.layers.convolutional.Conv3D;
import io.github.keras4j.layers.convolutional.Conv3DTranspose;
import io.github.keras4j.layers.convolutional.DepthwiseConv1D;
import io.github.keras4j.layers.convolutional.DepthwiseConv2D;
import io.github.keras4j.layers.convolutional.SeparableConv1D;
import io.github.keras4j.layers.convolutional.SeparableConv2D;
import io.github.keras4j.layers.core.Activation;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.core.EinsumDense;
import io.github.keras4j.layers.core.Embedding;
import io.github.keras4j.layers.core.Identity;
import io.github.keras4j.layers.core.Lambda;
import io.github.keras4j.layers.core.Masking;
import io.github.keras4j.layers.core.ReversibleEmbedding;
import io.github.keras4j.layers.core.TernaryDense;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.layers.merging.Average;
import io.github.keras4j.layers.merging.Concatenate;
import io.github.keras4j.layers.merging.Dot;
import io.github.keras4j.layers.merging.Maximum;
import io.github.keras4j.layers.merging.Minimum;
import io.github.keras4j.layers.merging.Multiply;
import io.github.keras4j.layers.merging.Subtract;
import io.github.keras4j.layers.normalization.BatchNormalization;
import io.github.keras4j.layers.normalization.GroupNormalization;
import io.github.keras4j.layers.normalization.LayerNormalization;
import io.github.keras4j.layers.normalization.RMSNormalization;
import io.github.keras4j.layers.normalization.SpectralNormalization;
import io.github.keras4j.layers.normalization.UnitNormalization;
import io.github.keras4j.layers.pooling.AdaptiveAveragePooling1D;
import io.github.keras4j.layers.pooling.AdaptiveAveragePooling2D;
import io.github.keras4j.layers.pooling.AdaptiveAveragePooling3D;
import io.github.keras4j.layers.pooling.AdaptiveMaxPooling1D;
import io.github.keras4j.layers.pooling.AdaptiveMaxPooling2D;
import io.github.keras4j.layers.pooling.AdaptiveMaxPooling3D;
import io.github.keras4j.layers.pooling.AveragePooling1D;
import io.github.keras4j.layers.pooling.AveragePooling2D;
import io.github.keras4j.layers.pooling.AveragePooling3D;
import io.github.keras4j.layers.pooling.GlobalAveragePooling1D;
import io.github.keras4j.layers.pooling.GlobalAveragePooling2D;
import io.github.keras4j.layers.pooling.GlobalAveragePooling3D;
import io.github.keras4j.layers.pooling.GlobalMaxPooling1D;
import io.github.keras4j.layers.pooling.GlobalMaxPooling2D;
import io.github.keras4j.layers.pooling.GlobalMaxPooling3D;
import io.github.keras4j.layers.pooling.MaxPooling1D;
import io.github.keras4j.layers.pooling.MaxPooling2D;
import io.github.keras4j.layers.pooling.MaxPooling3D;
import io.github.keras4j.layers.preprocessing.AugMix;
import io.github.keras4j.layers.preprocessing.AutoContrast;
import io.github.keras4j.layers.preprocessing.CategoryEncoding;
import io.github.keras4j.layers.preprocessing.CenterCrop;
import io.github.keras4j.layers.preprocessing.ContrastLimitedAdaptiveHistogramEqualization;
import io.github.keras4j.layers.preprocessing.CutMix;
import io.github.keras4j.layers.preprocessing.Discretization;
import io.github.keras4j.layers.preprocessing.Equalization;
import io.github.keras4j.layers.preprocessing.HashedCrossing;
import io.github.keras4j.layers.preprocessing.Hashing;
import io.github.keras4j.layers.preprocessing.IntegerLookup;
import io.github.keras4j.layers.preprocessing.MelSpectrogram;
import io.github.keras4j.layers.preprocessing.MixUp;
import io.github.keras4j.layers.preprocessing.Normalization;
import io.github.keras4j.layers.preprocessing.Pipeline;
import io.github.keras4j.layers.preprocessing.RandAugment;
import io.github.keras4j.layers.preprocessing.RandomBrightness;
import io.github.keras4j.layers.preprocessing.RandomColorDegeneration;
import io.github.keras4j.layers.preprocessing.RandomColorJitter;
import io.github.keras4j.layers.preprocessing.RandomContrast;
import io.github.keras4j.layers.preprocessing.RandomCrop;
import io.github.keras4j.layers.preprocessing.RandomElasticTransform;
import io.github.keras4j.layers.preprocessing.RandomErasing;
import io.github.keras4j.layers.preprocessing.RandomFlip;
import io.github.keras4j.layers.preprocessing.RandomGaussianBlur;
import io.github.keras4j.layers.preprocessing.RandomGrayscale;
import io.github.keras4j.layers.preprocessing.RandomHue;
import io.github.keras4j.layers.preprocessing.RandomInvert;
import io.github.keras4j.layers.preprocessing.RandomPerspective;
import io.github.keras4j.layers.preprocessing.RandomPosterization;
import io.github.keras4j.layers.preprocessing.RandomRotation;
import io.github.keras4j.layers.preprocessing.RandomSaturation;
import io.github.keras4j.layers.preprocessing.RandomSharpness;
import io.github.keras4j.layers.preprocessing.RandomShear;
import io.github.keras4j.layers.preprocessing.RandomTranslation;
import io.github.keras4j.layers.preprocessing.RandomZoom;
import io.github.keras4j.layers.preprocessing.Rescaling;
import io.github.keras4j.layers.preprocessing.Resizing;
import io.github.keras4j.layers.preprocessing.STFTSpectrogram;
import io.github.keras4j.layers.preprocessing.Solarization;
import io.github.keras4j.layers.preprocessing.StringLookup;
import io.github.keras4j.layers.preprocessing.TextVectorization;
import io.github.keras4j.layers.regularization.ActivityRegularization;
import io.github.keras4j.layers.regularization.AlphaDropout;
import io.github.keras4j.layers.regularization.Dropout;
import io.github.keras4j.layers.regularization.GaussianDropout;
import io.github.keras4j.layers.regularization.GaussianNoise;
import io.github.keras4j.layers.regularization.SpatialDropout1D;
import io.github.keras4j.layers.regularization.SpatialDropout2D;
import io.github.keras4j.layers.regularization.SpatialDropout3D;
import io.github.keras4j.layers.reshaping.Cropping1D;
import io.github.keras4j.layers.reshaping.Cropping2D;
import io.github.keras4j.layers.reshaping.Cropping3D;
import io.github.keras4j.layers.reshaping.Flatten;
import io.github.keras4j.layers.reshaping.Permute;
import io.github.keras4j.layers.reshaping.RepeatVector;
import io.github.keras4j.layers.reshaping.Reshape;
import io.github.keras4j.layers.reshaping.UpSampling1D;
import io.github.keras4j.layers.reshaping.UpSampling2D;
import io.github.keras4j.layers.reshaping.UpSampling3D;
import io.github.keras4j.layers.reshaping.ZeroPadding1D;
import io.github.keras4j.layers.reshaping.ZeroPadding2D;
import io.github.keras4j.layers.reshaping.ZeroPadding3D;
import io.github.keras4j.layers.rnn.Bidirectional;
import io.github.keras4j.layers.rnn.ConvLSTM1D;
import io.github.keras4j.layers.rnn.ConvLSTM2D;
import io.github.keras4j.layers.rnn.ConvLSTM3D;
import io.github.keras4j.layers.rnn.GRU;
import io.github.keras4j.layers.rnn.GRUCell;
import io.github.keras4j.layers.rnn.LSTM;
import io.github.keras4j.layers.rnn.LSTMCell;
import io.github.keras4j.layers.rnn.RNN;
import io.github.keras4j.layers.rnn.SimpleRNN;
import io.github.keras4j.layers.rnn.SimpleRNNCell;
import io.github.keras4j.layers.rnn.StackedRNNCells;
import io.github.keras4j.layers.rnn.TimeDistributed;
import io.github.keras4j.models.Model;
import io.github.keras4j.regularizers.L1;
import io.github.keras4j.regularizers.L1L2;
import io.github.keras4j.regularizers.L2;
import io.github.keras4j.regularizers.OrthogonalRegularizer;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Every built-in layer survives its saved form: built with non-default settings, serialized, written as JSON, read
 * back and rebuilt, it has the same config and, given the same weights, computes bit-identical outputs.
 */
class LayerRoundTripTest {

  /**
   * One layer to round-trip.
   *
   * @param label the test's name
   * @param layer makes the layer
   * @param inputs the per-sample input shapes (several for merging layers)
   * @param ids whether the inputs are integer ids below 10 (Embedding)
   */
  record Case(String label, Supplier<Layer> layer, long[][] inputs, boolean ids) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static Case of(String label, Supplier<Layer> layer, long[]... inputs) {
    return new Case(label, layer, inputs, false);
  }

  private static long[] s(long... dims) {
    return dims;
  }

  static Stream<Case> cases() {
    return Stream.of(
        // core
        of("Dense", () -> Dense.builder(4).activation("relu").kernelInitializer(new RandomNormal(0.0, 0.1, 42))
            .biasInitializer(new Constant(0.5)).kernelRegularizer(new L1L2(0.01, 0.02)).biasRegularizer(new L2(0.1))
            .activityRegularizer(new L1(0.01)).kernelConstraint(new MaxNorm(3, 0)).biasConstraint(new NonNeg())
            .build(), s(3)),
        of("Dense/linear, no bias", () -> Dense.builder(2).useBias(false).build(), s(2, 3)),
        of("Activation", () -> new Activation("gelu"), s(3)),
        new Case("Embedding", () -> Embedding.builder(10, 4).embeddingsInitializer(new HeUniform(7))
            .embeddingsRegularizer(new L2(0.01)).embeddingsConstraint(new UnitNorm(1)).maskZero(true).build(),
            new long[][] {s(5)}, true),
        of("Masking", () -> new Masking(-1f), s(4, 3)),
        // activations
        of("ELU", () -> new ELU(0.5), s(3)),
        of("LeakyReLU", () -> new LeakyReLU(0.1), s(3)),
        of("ReLU", () -> new ReLU(6.0, 0.1, 0.2, null), s(3)),
        of("Softmax", () -> new Softmax(1), s(3, 2)),
        of("Swish", Swish::new, s(3)),
        of("PReLU", () -> PReLU.builder().alphaInitializer(new Constant(0.25)).alphaRegularizer(new L2(0.1))
            .alphaConstraint(new NonNeg()).sharedAxes(1).build(), s(4, 3)),
        // attention
        of("MultiHeadAttention", () -> MultiHeadAttention.builder(2, 3).valueDim(2).outputShape(5).dropout(0.1)
            .seed(3L).useCausalMask(true).kernelInitializer(new RandomNormal(0.0, 0.2, 4))
            .biasInitializer(new Constant(0.1)).kernelRegularizer(new L2(0.01)).biasConstraint(new NonNeg()).build(),
            s(3, 4), s(3, 2)),
        of("MultiHeadAttention/no bias, key", () -> MultiHeadAttention.builder(1, 2).useBias(false).build(),
            s(2, 3), s(4, 2), s(4, 5)),
        of("Attention", () -> Attention.builder().useScale(true).scoreMode("concat").dropout(0.2).seed(5L)
            .useCausalMask(true).build(), s(3, 2), s(3, 2)),
        of("AdditiveAttention", () -> AdditiveAttention.builder().useScale(false).build(), s(3, 2), s(4, 2), s(4, 2)),
        // convolutional
        of("Conv1D", () -> Conv1D.builder(2, 3).padding("causal").dilationRate(2).activation("tanh").build(), s(8, 3)),
        of("Conv2D", () -> Conv2D.builder(2, 3, 2).strides(2, 1).padding("same")
            .kernelInitializer(new VarianceScaling(2.0, "fan_out", "uniform", 3)).kernelRegularizer(new L2(0.01))
            .build(), s(6, 6, 2)),
        of("Conv2DTranspose", () -> Conv2DTranspose.builder(2, 3).strides(2).outputPadding(1).build(), s(4, 4, 2)),
        of("DepthwiseConv2D", () -> DepthwiseConv2D.builder(3).depthMultiplier(2).useBias(false)
            .depthwiseConstraint(new MinMaxNorm(0.1, 2, 0.5, 0, 1, 2)).build(), s(5, 5, 2)),
        of("SeparableConv2D", () -> SeparableConv2D.builder(3, 3).depthMultiplier(2).padding("same")
            .pointwiseInitializer(new TruncatedNormal(0.0, 0.2, 9)).pointwiseRegularizer(new L1(0.01)).build(),
            s(5, 5, 2)),
        of("DepthwiseConv1D", () -> DepthwiseConv1D.builder(3).depthMultiplier(2).strides(2).padding("same")
            .build(), s(7, 2)),
        of("SeparableConv1D", () -> SeparableConv1D.builder(3, 2).dilationRate(2).depthMultiplier(2)
            .pointwiseRegularizer(new L1(0.01)).activation("relu").build(), s(7, 2)),
        // merging
        of("Add", Add::new, s(3), s(3)),
        of("Average", Average::new, s(3), s(3), s(3)),
        of("Maximum", Maximum::new, s(3), s(3)),
        of("Minimum", Minimum::new, s(3), s(3)),
        of("Multiply", Multiply::new, s(3), s(1)),
        of("Subtract", Subtract::new, s(3), s(3)),
        of("Concatenate", () -> new Concatenate(1), s(2, 3), s(1, 3)),
        of("Dot/int", () -> new Dot(1, true), s(3), s(3)),
        of("Dot/pair", () -> new Dot(new int[] {2, 1}, false, null), s(2, 3), s(3, 4)),
        // normalization
        of("BatchNormalization", () -> BatchNormalization.builder().momentum(0.9).epsilon(0.01).center(false)
            .gammaRegularizer(new L2(0.1)).build(), s(4)),
        of("LayerNormalization", () -> LayerNormalization.builder().axis(1, 2).rmsScaling(true).epsilon(1e-4).build(),
            s(2, 4)),
        // pooling
        of("MaxPooling1D", () -> new MaxPooling1D(2), s(6, 2)),
        of("AveragePooling1D", () -> new AveragePooling1D(3, 1, "same"), s(6, 2)),
        of("MaxPooling2D", () -> new MaxPooling2D(new int[] {2, 1}, new int[] {1, 1}, "valid", null), s(4, 4, 2)),
        of("AveragePooling2D", () -> new AveragePooling2D(2), s(4, 4, 2)),
        of("GlobalMaxPooling1D", () -> new GlobalMaxPooling1D(true), s(4, 2)),
        of("GlobalAveragePooling1D", GlobalAveragePooling1D::new, s(4, 2)),
        of("GlobalMaxPooling2D", GlobalMaxPooling2D::new, s(3, 3, 2)),
        of("GlobalAveragePooling2D", () -> new GlobalAveragePooling2D(true), s(3, 3, 2)),
        // regularization (inference: identity, but the settings must survive)
        of("ActivityRegularization", () -> new ActivityRegularization(0.01, 0.02), s(3)),
        of("Dropout", () -> new Dropout(0.3, 7L, null), s(3)),
        of("GaussianDropout", () -> new GaussianDropout(0.2, 3L, null), s(3)),
        of("GaussianNoise", () -> new GaussianNoise(0.1, 5L, null), s(3)),
        of("SpatialDropout1D", () -> new SpatialDropout1D(0.2, 11L, null), s(4, 3)),
        of("SpatialDropout2D", () -> new SpatialDropout2D(0.2, "channels_last", 12L, null), s(3, 3, 2)),
        of("SpatialDropout3D", () -> new SpatialDropout3D(0.2), s(2, 2, 2, 2)),
        // reshaping
        of("Flatten", Flatten::new, s(2, 3)),
        of("Reshape", () -> new Reshape(3, -1), s(6)),
        of("Permute", () -> new Permute(2, 1), s(2, 3)),
        of("RepeatVector", () -> new RepeatVector(3), s(4)),
        of("Cropping2D", () -> new Cropping2D(new int[][] {{1, 0}, {0, 2}}), s(5, 5, 1)),
        of("ZeroPadding2D", () -> new ZeroPadding2D(1, 2), s(3, 3, 1)),
        of("UpSampling2D", () -> new UpSampling2D(new int[] {2, 3}, "bilinear", null), s(2, 2, 1)),
        // recurrent
        of("SimpleRNN", () -> SimpleRNN.builder(3).returnSequences(true).activation("relu").seed(1)
            .recurrentInitializer(new Orthogonal(0.5, 2)).build(), s(4, 2)),
        of("LSTM", () -> LSTM.builder(3).unitForgetBias(false).goBackwards(true).recurrentActivation("tanh")
            .recurrentRegularizer(new L2(0.01)).dropout(0.1).seed(2).build(), s(4, 2)),
        of("GRU", () -> GRU.builder(3).resetAfter(false).recurrentConstraint(new MaxNorm(2, 0)).build(), s(4, 2)),
        of("Bidirectional", () -> new Bidirectional(LSTM.builder(2).returnSequences(true).build(), "sum"), s(4, 2)),
        of("TimeDistributed", () -> new TimeDistributed(Dense.builder(2).activation("sigmoid").build()), s(4, 3)),
        of("Rescaling", () -> new Rescaling(1 / 127.5, -1), s(3)),
        of("Normalization", () -> Normalization.builder().axis(1, 2).invert(true).build(), s(2, 3)),
        of("Normalization/given", () -> new Normalization(new float[] {1, 2, 3}, new float[] {4, 5, 6}), s(2, 3)),
        of("Identity", Identity::new, s(3)),
        of("UnitNormalization", () -> new UnitNormalization(1, 2), s(2, 3)),
        of("GroupNormalization", () -> GroupNormalization.builder().groups(2).axis(1).epsilon(1e-4).center(false)
            .gammaRegularizer(new L2(0.1)).build(), s(4, 3)),
        of("UpSampling1D", () -> new UpSampling1D(3), s(2, 2)),
        of("ZeroPadding1D", () -> new ZeroPadding1D(2, 0), s(2, 2)),
        of("Cropping1D", () -> new Cropping1D(0, 1), s(3, 2)),
        of("Resizing", () -> Resizing.builder(3, 5).interpolation("nearest").cropToAspectRatio(true).build(),
            s(4, 6, 2)),
        of("CenterCrop", () -> new CenterCrop(2, 3), s(4, 5, 2)),
        of("RandomFlip", () -> new RandomFlip("vertical", 3L, null), s(4, 4, 2)),
        of("RandomTranslation", () -> RandomTranslation.builder(0.2, 0.1).widthFactor(-0.3, 0.2).fillMode("constant")
            .interpolation("nearest").fillValue(0.5).seed(4).build(), s(4, 4, 2)),
        of("RandomRotation", () -> RandomRotation.builder(-0.1, 0.2).fillMode("wrap").seed(5).build(), s(4, 4, 2)),
        of("RandomZoom", () -> RandomZoom.builder(-0.2, 0.3).widthFactor(0.1).fillMode("nearest").build(),
            s(4, 4, 2)),
        of("RandomContrast", () -> RandomContrast.builder(0.2, 0.4).valueRange(-1, 1).seed(6).build(), s(4, 4, 2)),
        of("RandomBrightness", () -> RandomBrightness.builder(0.3).valueRange(0, 1).seed(7).build(), s(4, 4, 2)),
        of("Conv3D", () -> Conv3D.builder(2, 2, 3, 2).strides(1, 2, 1).padding("same").activation("relu").build(),
            s(3, 4, 3, 2)),
        of("Conv1DTranspose", () -> Conv1DTranspose.builder(2, 3).strides(2).outputPadding(1).useBias(false).build(),
            s(4, 2)),
        of("Conv3DTranspose", () -> Conv3DTranspose.builder(2, 2).strides(2).padding("same").build(), s(2, 3, 2, 2)),
        of("MaxPooling3D", () -> new MaxPooling3D(new int[] {2, 1, 2}, new int[] {1, 1, 2}, "valid", null),
            s(3, 3, 4, 2)),
        of("AveragePooling3D", () -> new AveragePooling3D(2, 2, "same"), s(3, 3, 3, 2)),
        of("GlobalMaxPooling3D", () -> new GlobalMaxPooling3D(true), s(2, 3, 2, 2)),
        of("GlobalAveragePooling3D", GlobalAveragePooling3D::new, s(2, 3, 2, 2)),
        of("UpSampling3D", () -> new UpSampling3D(new int[] {1, 2, 3}, null), s(2, 2, 2, 2)),
        of("ZeroPadding3D", () -> new ZeroPadding3D(new int[][] {{1, 0}, {0, 2}, {1, 1}}), s(2, 2, 2, 2)),
        of("Cropping3D", () -> new Cropping3D(new int[][] {{1, 0}, {0, 1}, {1, 1}}), s(3, 3, 4, 2)),
        of("Discretization/given", () -> Discretization.builder()
            .binBoundaries(-0.5, 0, 0.25).outputMode("count").build(), s(4)),
        of("Discretization/adapted", () -> {
          var d = Discretization.builder().numBins(4).epsilon(0.05)
              .outputMode("one_hot").build();
          d.adapt(new float[] {-0.9f, -0.4f, -0.1f, 0.2f, 0.3f, 0.7f, 0.8f, 0.95f});
          return d;
        }, s(3)),
        new Case("CategoryEncoding", () -> new CategoryEncoding(10, "count"),
            new long[][] {s(5)}, true),
        new Case("IntegerLookup/given", () -> IntegerLookup.builder()
            .vocabulary(7, 2, 5, 0).maskToken(9L).numOovIndices(2).build(), new long[][] {s(4)}, true),
        new Case("IntegerLookup/adapted", () -> {
          var l = IntegerLookup.builder().outputMode("tf_idf").maxTokens(5)
              .build();
          l.adapt(new float[][] {{1, 2, 3}, {3, 4, 4}, {5, 3, 1}});
          return l;
        }, new long[][] {s(4)}, true),
        new Case("IntegerLookup/invert", () -> IntegerLookup.builder()
            .vocabulary(-1, 12, 36, 1138).invert(true).oovToken(-1).build(), new long[][] {s(3)}, true),
        of("RandomCrop", () -> new RandomCrop(2, 3, 8L, null), s(4, 5, 2)),
        new Case("Hashing", () -> Hashing.builder(6).maskValue(3).salt(7, 9)
            .outputMode("multi_hot").build(), new long[][] {s(4)}, true),
        of("ConvLSTM1D", () -> ConvLSTM1D.builder(2, 2).strides(2).padding("same").returnSequences(true).build(),
            s(2, 5, 2)),
        of("ConvLSTM2D", () -> ConvLSTM2D.builder(2, 3, 2).dilationRate(2).unitForgetBias(false)
            .recurrentActivation("softsign").goBackwards(true).dropout(0.1).build(), s(2, 6, 5, 1)),
        of("ConvLSTM3D", () -> ConvLSTM3D.builder(1, 2).useBias(false).activation("relu").build(), s(2, 3, 3, 2, 1)),
        of("AdaptiveAveragePooling1D", () -> new AdaptiveAveragePooling1D(3), s(5, 2)),
        of("AdaptiveMaxPooling1D", () -> new AdaptiveMaxPooling1D(new int[] {4}, "channels_first", "amp1"), s(2, 7)),
        of("AdaptiveAveragePooling2D", () -> new AdaptiveAveragePooling2D(new int[] {2, 3}, "channels_first", null),
            s(2, 5, 4)),
        of("AdaptiveMaxPooling2D", () -> new AdaptiveMaxPooling2D(2), s(5, 3, 2)),
        of("AdaptiveAveragePooling3D", () -> new AdaptiveAveragePooling3D(new int[] {2, 1, 3}, null, null),
            s(3, 2, 4, 2)),
        of("AdaptiveMaxPooling3D", () -> new AdaptiveMaxPooling3D(2, "channels_first"), s(2, 3, 3, 4)),
        of("RandomShear", () -> RandomShear.builder().xFactor(0.3)
            .yFactor(0.1, 0.2).fillMode("constant").interpolation("nearest").fillValue(2).seed(3).build(), s(4, 4, 2)),
        of("RandomErasing", () -> RandomErasing.builder(0.2, 0.8).scale(0.1, 0.4)
            .fillValue(1.0).valueRange(-1, 1).seed(4).build(), s(4, 4, 2)),
        of("RandomGaussianBlur", () -> RandomGaussianBlur.builder(0.5)
            .kernelSize(5, 3).sigma(0.2, 0.6).valueRange(-1, 1).seed(5).build(), s(4, 4, 2)),
        of("RandomSharpness", () -> RandomSharpness.builder(0.2, 0.7)
            .valueRange(-1, 1).seed(6).build(), s(4, 4, 2)),
        of("AutoContrast", () -> new AutoContrast(-1, 1, null), s(4, 4, 2)),
        of("Equalization", () -> new Equalization(-1, 1, 32, null),
            s(4, 4, 2)),
        of("RandomGrayscale", () -> new RandomGrayscale(0.3, 4L, null),
            s(4, 4, 3)),
        of("RandomInvert", () -> RandomInvert.builder(0.2, 0.6)
            .valueRange(-1, 1).seed(5).build(), s(4, 4, 2)),
        of("Solarization", () -> Solarization.builder().additionFactor(0.1)
            .thresholdFactor(0.2, 0.6).valueRange(-1, 1).seed(6).build(), s(4, 4, 2)),
        of("RandomPosterization", () -> RandomPosterization.builder(2, 6)
            .valueRange(-1, 1).seed(7).build(), s(4, 4, 2)),
        of("RandomSaturation", () -> RandomSaturation.builder(0.3, 0.6)
            .valueRange(0, 1).seed(8).build(), s(4, 4, 3)),
        of("RandomHue", () -> RandomHue.builder(0.4).valueRange(-1, 1)
            .seed(9).build(), s(4, 4, 3)),
        of("RandomColorDegeneration", () -> RandomColorDegeneration
            .builder(0.1, 0.7).valueRange(-1, 1).build(), s(4, 4, 3)),
        of("RandomColorJitter", () -> RandomColorJitter.builder()
            .valueRange(-1, 1).brightnessFactor(0.2).contrastFactor(0.1, 0.3).saturationFactor(0.4, 0.6)
            .hueFactor(0.1).seed(10).build(), s(4, 4, 3)),
        of("EinsumDense", () -> EinsumDense.builder("abc,cde->abde", null, 2, 3).biasAxes("d").activation("tanh")
            .kernelInitializer(new RandomNormal(0.0, 0.1, 42)).biasInitializer(new Constant(0.5))
            .kernelRegularizer(new L2(0.01)).biasConstraint(new NonNeg()).activityRegularizer(new L1(0.01)).build(),
            s(3, 4)),
        of("EinsumDense/ellipsis, no bias", () -> new EinsumDense("...b,bc->...c", 3), s(2, 4)),
        of("GroupedQueryAttention", () -> GroupedQueryAttention.builder(2, 4, 2).dropout(0.1).seed(3L)
            .useCausalMask(true).kernelInitializer(new RandomNormal(0.0, 0.2, 4)).biasInitializer(new Constant(0.1))
            .kernelRegularizer(new L2(0.01)).biasConstraint(new NonNeg()).build(), s(3, 4), s(3, 4)),
        of("GroupedQueryAttention/no bias, key", () -> GroupedQueryAttention.builder(3, 2, 1).useBias(false).build(),
            s(2, 3), s(4, 3), s(4, 5)),
        of("RMSNormalization", () -> new RMSNormalization(new int[] {-2, -1}, 1e-4, null), s(2, 3)),
        of("AlphaDropout", () -> new AlphaDropout(0.2, new long[] {-1, 1, 3}, 5L, null), s(4, 3)),
        of("SpectralNormalization", () -> new SpectralNormalization(Dense.builder(2).activation("tanh")
            .kernelInitializer("he_normal").build(), 3, null), s(4)),
        of("SpectralNormalization/conv", () -> new SpectralNormalization(new Conv2D(2, 2)), s(3, 3, 1)),
        of("RandomPerspective", () -> RandomPerspective.builder().factor(0.2, 0.9).scale(0.4)
            .interpolation("nearest").fillValue(2).seed(3).build(), s(4, 4, 2)),
        of("MixUp", () -> MixUp.builder().alpha(0.4).seed(4).build(), s(4, 4, 2)),
        of("CutMix", () -> CutMix.builder().factor(0.3, 0.8).seed(5).build(), s(4, 4, 2)),
        // recurrent cells and RNN
        of("RNN", () -> RNN.builder(LSTMCell.builder(3).unitForgetBias(false).recurrentActivation("tanh")
            .kernelRegularizer(new L2(0.01)).recurrentConstraint(new MaxNorm(2, 0)).build()).returnSequences(true)
            .goBackwards(true).build(), s(4, 2)),
        of("RNN/stacked GRUCell and SimpleRNNCell", () -> RNN.builder(new StackedRNNCells(
            GRUCell.builder(2).resetAfter(false).dropout(0.2).seed(5L).build(),
            SimpleRNNCell.builder(3).useBias(false).activation("relu").build())).zeroOutputForMask(true).build(),
            s(4, 2)),
        of("SimpleRNNCell", () -> SimpleRNNCell.builder(3).activation("relu").biasInitializer(new Constant(0.5))
            .build(), s(2)),
        of("LSTMCell", () -> LSTMCell.builder(3).recurrentDropout(0.1).build(), s(2)),
        of("GRUCell", () -> GRUCell.builder(2).biasInitializer(new Constant(0.1)).build(), s(3)),
        of("StackedRNNCells", () -> new StackedRNNCells(new LSTMCell(2), new GRUCell(3)), s(2)),
        of("STFTSpectrogram", () -> STFTSpectrogram.builder().mode("psd").frameLength(6).frameStep(2).fftLength(8)
            .window("hamming").periodic(true).scaling("spectrum").padding("same").expandDims(true).build(), s(11, 2)),
        of("STFTSpectrogram/no window, channels_first", () -> STFTSpectrogram.builder().mode("stft").frameLength(4)
            .window(null).scaling(null).dataFormat("channels_first").build(), s(2, 9)),
        of("MelSpectrogram", () -> MelSpectrogram.builder().fftLength(16).sequenceStride(3).sequenceLength(12)
            .window("hamming").samplingRate(8000).numMelBins(6).minFreq(50).maxFreq(3000.0).topDb(30).magExp(1)
            .minPower(1e-6).refPower(0.5).build(), s(20)),
        of("MelSpectrogram/linear, no window", () -> MelSpectrogram.builder().fftLength(8).sequenceStride(2)
            .window(null).samplingRate(4000).numMelBins(3).powerToDb(false).build(), s(12)),
        of("HashedCrossing", () -> HashedCrossing.builder(7).outputMode("one_hot").build(), s(1), s(1), s(1)),
        of("Pipeline", () -> new Pipeline(List.of(new Rescaling(0.5, 1.0), new RandomFlip("horizontal", 5L, null),
            Dense.builder(2).kernelRegularizer(new L2(0.01)).build())), s(4, 4, 1)),
        new Case("ReversibleEmbedding", () -> ReversibleEmbedding.builder(10, 4).tieWeights(false).logitSoftCap(3.0)
            .embeddingsInitializer(new HeUniform(7)).embeddingsRegularizer(new L2(0.01)).maskZero(true).build(),
            new long[][] {s(5)}, true),
        of("TernaryDense", () -> TernaryDense.builder(3).threshold(0.7).activation("tanh")
            .kernelInitializer(new RandomNormal(0.0, 0.1, 42)).biasInitializer(new Constant(0.5))
            .kernelRegularizer(new OrthogonalRegularizer(0.02, "columns")).activityRegularizer(new L1(0.01))
            .kernelConstraint(new MaxNorm(3, 0)).build(), s(2, 4)),
        of("TernaryDense/default threshold, no bias", () -> TernaryDense.builder(2).useBias(false).build(), s(5)),
        of("RandAugment", () -> RandAugment.builder().valueRange(-1, 1).numOps(3).factor(0.2, 0.7)
            .interpolation("nearest").seed(11).build(), s(4, 4, 3)),
        of("AugMix", () -> AugMix.builder().valueRange(-1, 1).numChains(2).chainDepth(1).factor(0.6).alpha(0.5)
            .allOps(false).interpolation("nearest").seed(12).build(), s(4, 4, 2)),
        of("RandomElasticTransform", () -> RandomElasticTransform.builder().factor(0.2, 0.9).scale(0.4)
            .interpolation("nearest").fillMode("mirror").fillValue(2).valueRange(-1, 1).seed(3).build(), s(4, 4, 2)),
        of("ContrastLimitedAdaptiveHistogramEqualization", () -> new ContrastLimitedAdaptiveHistogramEqualization(
            -1, 1, 2.5, new int[] {2, 3}, null), s(5, 4, 2)),
        of("StringLookup/given", () -> StringLookup.builder().vocabulary("a", "b", "c").numOovIndices(2)
            .maskToken("").maxTokens(8).build(), s(4)),
        of("StringLookup/adapted", () -> {
          var l = StringLookup.builder().outputMode("tf_idf").maxTokens(5).padToMaxTokens(true).oovToken("?")
              .build();
          l.adapt(new String[][] {{"a", "b", "a"}, {"c", "a", "z"}});
          return l;
        }, s(4)),
        of("TextVectorization/adapted", () -> {
          var l = TextVectorization.builder().ngrams(2).maxTokens(12).outputSequenceLength(5).standardize("lower")
              .build();
          l.adapt(new String[] {"a b a", "C d, a", "b z"});
          return l;
        }, s(1)),
        of("TextVectorization/given", () -> TextVectorization.builder().split("character").standardize(null)
            .ngramWidths(1, 3).vocabulary("a", "b", "a b c").idfWeights(0.5f, 1f, 2f).outputMode("tf_idf").build(),
            s()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void configAndOutputsSurviveTheSavedForm(Case c) {
    Backend.clearSession();
    Backend.setRandomSeed(17);
    Layer original = c.layer().get();
    // Through the JSON text, as in a saved file.
    String json = Json.write(LayerRegistry.serialize(original));
    Layer copy = LayerRegistry.deserialize(Json.parse(json, c.label()), new CustomObjects());
    assertNotSame(original, copy);
    assertEquals(original.getClass(), copy.getClass());
    assertEquals(original.getConfig(), copy.getConfig(), "config of " + c.label() + " after the round trip");
    assertEquals(original.isTrainable(), copy.isTrainable());
    assertEquals(original.activityRegularizer() == null, copy.activityRegularizer() == null);

    try (Model a = model(original, c.inputs()); Model b = model(copy, c.inputs())) {
      // Same weights (non-trivial ones: positive, so moving variances are valid), then the same outputs.
      List<FloatNdArray> weights = new ArrayList<>();
      SplittableRandom r = new SplittableRandom(5);
      for (FloatNdArray w : a.getWeights()) {
        float[] v = new float[(int) w.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (0.5 + r.nextDouble());
        }
        weights.add(NdArrays.wrap(w.shape(), DataBuffers.of(v, false, false)));
      }
      a.setWeights(weights);
      b.setWeights(weights);
      List<FloatNdArray> x = inputs(c);
      Object feed = original.inputDtype().equals(KerasTensor.STRING) ? strings(c.inputs()[0]) : x.size() == 1
          ? x.get(0) : x;
      assertArrayEquals(bits(a.predict(feed)), bits(b.predict(feed)), "outputs of " + c.label());
    }
  }

  private static Model model(Layer layer, long[][] shapes) {
    List<KerasTensor> ins = new ArrayList<>();
    for (long[] shape : shapes) {
      ins.add(layer.inputDtype().equals(KerasTensor.STRING) ? Input.ofStrings(shape) : Input.of(shape));
    }
    KerasTensor out = ins.size() == 1 ? layer.apply(ins.get(0)) : layer.apply(ins);
    return new Model(ins, List.of(out));
  }

  private static List<FloatNdArray> inputs(Case c) {
    SplittableRandom r = new SplittableRandom(9);
    List<FloatNdArray> out = new ArrayList<>();
    for (long[] shape : c.inputs()) {
      long[] full = new long[shape.length + 1];
      full[0] = 3;
      System.arraycopy(shape, 0, full, 1, shape.length);
      float[] v = new float[(int) Shape.of(full).size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = c.ids() ? r.nextInt(10) : (float) (r.nextDouble() * 2 - 1);
      }
      out.add(NdArrays.wrap(Shape.of(full), DataBuffers.of(v, false, false)));
    }
    return out;
  }

  /** Three samples of words for a string input of per-sample shape () or (n). */
  private static Object strings(long[] shape) {
    String[] words = {"a", "b", "c", "z", "", "a b c", "B a"};
    SplittableRandom r = new SplittableRandom(9);
    if (shape.length == 0) {
      return new String[] {words[r.nextInt(words.length)], words[r.nextInt(words.length)], "a b c a"};
    }
    String[][] out = new String[3][(int) shape[0]];
    for (String[] row : out) {
      for (int j = 0; j < row.length; j++) {
        row[j] = words[r.nextInt(words.length)];
      }
    }
    return out;
  }

  static int[] bits(FloatNdArray a) {
    float[] v = new float[(int) a.size()];
    a.copyTo(DataBuffers.of(v, false, false));
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }

  @Test
  void inputLayerRoundTripsItsShapeAndName() {
    Backend.clearSession();
    InputLayer in = new InputLayer("pixels", 28, 28, 1);
    Map<String, Object> saved = LayerRegistry.serialize(in);
    assertEquals(java.util.Arrays.asList(null, 28L, 28L, 1L), ((Map<?, ?>) saved.get("config")).get("batch_shape"));
    InputLayer copy = (InputLayer) LayerRegistry.deserialize(Json.parse(Json.write(saved), "test"), null);
    assertEquals("pixels", copy.name());
    assertArrayEquals(new long[] {28, 28, 1}, copy.shape());
    assertEquals(in.getConfig(), copy.getConfig());
  }

  @Test
  void frozenLayersStayFrozen() {
    Backend.clearSession();
    Dense d = new Dense(3);
    d.setTrainable(false);
    Layer copy = LayerRegistry.deserialize(Json.parse(Json.write(LayerRegistry.serialize(d)), "test"), null);
    assertEquals(false, copy.isTrainable());
  }

  /**
   * Every public concrete layer class of {@code io.github.keras4j.layers} is a built-in of the registry and has a
   * case above (Lambda and InputLayer have their own tests), so a new layer cannot be forgotten.
   */
  @Test
  void everyBuiltInLayerClassIsCovered() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes = Path.of(Layer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path root = classes.resolve("io/github/keras4j/layers");
    TreeSet<String> layerClasses = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String rel = classes.relativize(p).toString();
        if (!rel.endsWith(".class") || rel.contains("$")) {
          continue;
        }
        Class<?> cls = Class.forName(rel.substring(0, rel.length() - 6).replace('/', '.').replace('\\', '.'));
        if (Layer.class.isAssignableFrom(cls) && Modifier.isPublic(cls.getModifiers())
            && !Modifier.isAbstract(cls.getModifiers())) {
          layerClasses.add(cls.getSimpleName());
        }
      }
    }
    assertTrue(layerClasses.size() > 50, "found " + layerClasses);
    TreeSet<String> tested = new TreeSet<>(List.of("InputLayer", "Lambda"));
    cases().forEach(c -> tested.add(c.layer().get().getClass().getSimpleName()));
    for (String name : layerClasses) {
      assertTrue(LayerRegistry.isBuiltin(name), name + " is not in the LayerRegistry");
      assertTrue(tested.contains(name), name + " has no round-trip case");
    }
  }

  @Test
  void lambdaLoadsOnlyThroughARegisteredFactory() {
    Backend.clearSession();
    Lambda doubled = Lambda.builder((tf, x) -> tf.math.mul(x, tf.constant(2f))).name("doubled").build();
    Object saved = Json.parse(Json.write(LayerRegistry.serialize(doubled)), "test");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LayerRegistry.deserialize(saved, null));
    assertTrue(e.getMessage().contains("'doubled'") && e.getMessage().contains("CustomObjects().layer(\"Lambda\""),
        e.getMessage());
    CustomObjects custom = new CustomObjects().layer("Lambda",
        config -> Lambda.builder((tf, x) -> tf.math.mul(x, tf.constant(2f))).name(config.name()).build());
    Layer copy = LayerRegistry.deserialize(saved, custom);
    assertEquals("doubled", copy.name());
  }
}
