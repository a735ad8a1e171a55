package io.github.keras4j.saving;

import io.github.keras4j.layers.InputLayer;
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
import io.github.keras4j.layers.convolutional.BaseConv;
import io.github.keras4j.layers.convolutional.BaseSeparableConv;
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
import io.github.keras4j.layers.normalization.NormalizationBuilder;
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
import io.github.keras4j.layers.preprocessing.BaseAffineTransformLayer;
import io.github.keras4j.layers.preprocessing.BaseColorAugmentation;
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
import io.github.keras4j.layers.rnn.CellBuilder;
import io.github.keras4j.layers.rnn.ConvLSTM1D;
import io.github.keras4j.layers.rnn.ConvLSTM2D;
import io.github.keras4j.layers.rnn.ConvLSTM3D;
import io.github.keras4j.layers.rnn.ConvLSTM;
import io.github.keras4j.layers.rnn.GRU;
import io.github.keras4j.layers.rnn.GRUCell;
import io.github.keras4j.layers.rnn.LSTM;
import io.github.keras4j.layers.rnn.LSTMCell;
import io.github.keras4j.layers.rnn.RNN;
import io.github.keras4j.layers.rnn.RnnBuilder;
import io.github.keras4j.layers.rnn.RnnCell;
import io.github.keras4j.layers.rnn.SimpleRNN;
import io.github.keras4j.layers.rnn.SimpleRNNCell;
import io.github.keras4j.layers.rnn.StackedRNNCells;
import io.github.keras4j.layers.rnn.TimeDistributed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The factories of the built-in layers, by Keras class name: each reads the keys its layer's {@code getConfig()}
 * writes (and Keras's defaults for missing ones) and calls the layer's public constructor or builder.
 */
final class BuiltinLayers {

  /** Class name to factory; sorted, so messages list the names alphabetically. */
  static final Map<String, ObjectFactory<Layer>> FACTORIES = new TreeMap<>();

  private BuiltinLayers() {}

  private static void add(String className, ObjectFactory<Layer> factory) {
    FACTORIES.put(className, factory);
  }

  /** Calls {@code setter} only when the value is present, so builders keep their defaults otherwise. */
  private static <T> void ifSet(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  static {
    // ---- core
    add("InputLayer", c -> {
      long[] batchShape = c.getShape("batch_shape");
      if (batchShape.length == 0) {
        throw new IllegalArgumentException(c.owner() + ": batch_shape must include the batch axis, found []");
      }
      // Keras4J inputs are float32 (Keras's int and float dtypes read as float32) or string.
      String dtype = "string".equals(c.getString("dtype", "float32")) ? "string" : "float32";
      return new InputLayer(c.name(), dtype, Arrays.copyOfRange(batchShape, 1, batchShape.length));
    });
    add("Dense", c -> {
      Dense.Builder b = Dense.builder(c.getInt("units")).name(c.name()).useBias(c.getBoolean("use_bias", true));
      ifSet(c.getString("activation", null), b::activation);
      ifSet(c.initializer("kernel_initializer"), b::kernelInitializer);
      ifSet(c.initializer("bias_initializer"), b::biasInitializer);
      b.kernelRegularizer(c.regularizer("kernel_regularizer")).biasRegularizer(c.regularizer("bias_regularizer"));
      b.kernelConstraint(c.constraint("kernel_constraint")).biasConstraint(c.constraint("bias_constraint"));
      b.loraRank(loraRank(c)).loraAlpha(c.getDoubleOrNull("lora_alpha"));
      return b.build();
    });
    add("Activation", c -> new Activation(c.getString("activation", null), c.name()));
    add("Embedding", c -> {
      Embedding.Builder b = Embedding.builder(c.getInt("input_dim"), c.getInt("output_dim")).name(c.name());
      ifSet(c.initializer("embeddings_initializer"), b::embeddingsInitializer);
      b.embeddingsRegularizer(c.regularizer("embeddings_regularizer"));
      b.embeddingsConstraint(c.constraint("embeddings_constraint"));
      b.maskZero(c.getBoolean("mask_zero", false));
      b.loraRank(loraRank(c)).loraAlpha(c.getDoubleOrNull("lora_alpha"));
      return b.build();
    });
    add("Masking", c -> new Masking((float) c.getDouble("mask_value", 0.0), c.name()));
    add("Lambda", c -> {
      throw new IllegalArgumentException("Layer " + c.owner() + " is a Lambda: its Java function was not saved "
          + "(Keras4J cannot serialize code). Rebuild it on load with new CustomObjects().layer(\"Lambda\", config -> "
          + "...) (the factory gets the layer's config, whose name tells which Lambda it is), or write the "
          + "computation as a Layer subclass");
    });

    // ---- activations
    add("ELU", c -> new ELU(c.getDouble("alpha", 1.0), c.name()));
    add("LeakyReLU", c -> new LeakyReLU(c.getDouble("negative_slope", 0.3), c.name()));
    add("ReLU", c -> new ReLU(c.getDoubleOrNull("max_value"), c.getDouble("negative_slope", 0.0),
        c.getDouble("threshold", 0.0), c.name()));
    add("Softmax", c -> new Softmax(c.name(), c.getInts("axis", -1)));
    add("Swish", c -> new Swish(c.name()));
    add("PReLU", c -> {
      PReLU.Builder b = PReLU.builder().name(c.name());
      ifSet(c.initializer("alpha_initializer"), b::alphaInitializer);
      b.alphaRegularizer(c.regularizer("alpha_regularizer")).alphaConstraint(c.constraint("alpha_constraint"));
      ifSet(c.getIntsOrNull("shared_axes"), b::sharedAxes);
      return b.build();
    });

    // ---- attention
    add("MultiHeadAttention", c -> {
      MultiHeadAttention.Builder b = MultiHeadAttention.builder(c.getInt("num_heads"), c.getInt("key_dim"))
          .name(c.name()).useBias(c.getBoolean("use_bias", true)).dropout(c.getDouble("dropout", 0.0))
          .useCausalMask(c.getBoolean("use_causal_mask", false));
      if (c.has("value_dim")) {
        b.valueDim(c.getInt("value_dim"));
      }
      int[] outputShape = c.getIntsOrNull("output_shape");
      if (outputShape != null && outputShape.length != 1) {
        throw new IllegalArgumentException(c.owner() + ": output_shape " + Arrays.toString(outputShape)
            + " is not supported by Keras4J (only one size, e.g. [16])");
      }
      ifSet(outputShape == null ? null : outputShape[0], b::outputShape);
      b.attentionAxes(c.getIntsOrNull("attention_axes"));
      c.requireValue("use_gate", false);
      if (c.has("sliding_window")) {
        throw new IllegalArgumentException(c.owner() + ": sliding_window is not supported by Keras4J (only null)");
      }
      ifSet(c.initializer("kernel_initializer"), b::kernelInitializer);
      ifSet(c.initializer("bias_initializer"), b::biasInitializer);
      b.kernelRegularizer(c.regularizer("kernel_regularizer")).biasRegularizer(c.regularizer("bias_regularizer"));
      b.kernelConstraint(c.constraint("kernel_constraint")).biasConstraint(c.constraint("bias_constraint"));
      return b.seed(c.getLongOrNull("seed")).build();
    });
    add("Attention", c -> Attention.builder().name(c.name()).useScale(c.getBoolean("use_scale", false))
        .scoreMode(c.getString("score_mode", "dot")).dropout(c.getDouble("dropout", 0.0))
        .seed(c.getLongOrNull("seed")).useCausalMask(c.getBoolean("use_causal_mask", false)).build());
    add("AdditiveAttention", c -> AdditiveAttention.builder().name(c.name()).useScale(c.getBoolean("use_scale", true))
        .dropout(c.getDouble("dropout", 0.0)).seed(c.getLongOrNull("seed"))
        .useCausalMask(c.getBoolean("use_causal_mask", false)).build());

    // ---- convolutional
    add("Conv1D", c -> kernelSettings(conv(Conv1D.builder(c.getInt("filters"), kernel1d(c)), c), c).build());
    add("Conv2D", c -> kernelSettings(conv(Conv2D.builder(c.getInt("filters"), c.getInts("kernel_size")), c), c)
        .groups(c.getInt("groups", 1)).build());
    add("Conv2DTranspose", c -> {
      Conv2DTranspose.Builder b = Conv2DTranspose.builder(c.getInt("filters"), c.getInts("kernel_size"));
      ifSet(c.getIntsOrNull("output_padding"), b::outputPadding);
      return kernelSettings(conv(b, c), c).build();
    });
    add("DepthwiseConv1D", c -> depthwiseSettings(conv(DepthwiseConv1D.builder(kernel1d(c)), c), c).build());
    add("DepthwiseConv2D", c -> depthwiseSettings(conv(DepthwiseConv2D.builder(c.getInts("kernel_size")), c), c)
        .build());
    add("SeparableConv1D", c -> separableSettings(SeparableConv1D.builder(c.getInt("filters"), kernel1d(c)), c)
        .build());
    add("SeparableConv2D", c -> separableSettings(SeparableConv2D.builder(c.getInt("filters"),
        c.getInts("kernel_size")), c).build());

    // ---- merging
    add("Add", c -> new Add(c.name()));
    add("Average", c -> new Average(c.name()));
    add("Maximum", c -> new Maximum(c.name()));
    add("Minimum", c -> new Minimum(c.name()));
    add("Multiply", c -> new Multiply(c.name()));
    add("Subtract", c -> new Subtract(c.name()));
    add("Concatenate", c -> new Concatenate(c.getInt("axis", -1), c.name()));
    add("Dot", c -> {
      int[] axes = c.getInts("axes");
      boolean normalize = c.getBoolean("normalize", false);
      if (axes.length == 1 && !(c.get("axes") instanceof List)) {
        return new Dot(axes[0], normalize, c.name());
      }
      return new Dot(axes, normalize, c.name());
    });

    // ---- normalization
    add("BatchNormalization", c -> {
      BatchNormalization.Builder b = BatchNormalization.builder().axis(c.getInt("axis", -1))
          .momentum(c.getDouble("momentum", 0.99));
      normalization(b, c);
      ifSet(c.initializer("moving_mean_initializer"), b::movingMeanInitializer);
      ifSet(c.initializer("moving_variance_initializer"), b::movingVarianceInitializer);
      return b.build();
    });
    add("LayerNormalization", c -> {
      LayerNormalization.Builder b = LayerNormalization.builder().rmsScaling(c.getBoolean("rms_scaling", false));
      ifSet(c.getIntsOrNull("axis"), b::axis);
      normalization(b, c);
      return b.build();
    });

    // ---- pooling
    add("MaxPooling1D", c -> new MaxPooling1D(pool(c), c.getIntsOrNull("strides"), padding(c), c.name()));
    add("MaxPooling2D", c -> new MaxPooling2D(pool(c), c.getIntsOrNull("strides"), padding(c), c.name()));
    add("AveragePooling1D", c -> new AveragePooling1D(pool(c), c.getIntsOrNull("strides"), padding(c), c.name()));
    add("AveragePooling2D", c -> new AveragePooling2D(pool(c), c.getIntsOrNull("strides"), padding(c), c.name()));
    add("GlobalMaxPooling1D", c -> new GlobalMaxPooling1D(keepdims(c), c.name()));
    add("GlobalMaxPooling2D", c -> new GlobalMaxPooling2D(keepdims(c), c.name()));
    add("GlobalAveragePooling1D", c -> new GlobalAveragePooling1D(keepdims(c), c.name()));
    add("GlobalAveragePooling2D", c -> new GlobalAveragePooling2D(keepdims(c), c.name()));

    // ---- regularization
    add("ActivityRegularization", c -> new ActivityRegularization(c.getDouble("l1", 0.0), c.getDouble("l2", 0.0),
        c.name()));
    add("Dropout", c -> new Dropout(c.getDouble("rate"), c.has("noise_shape") ? c.getShape("noise_shape") : null,
        c.getLongOrNull("seed"), c.name()));
    add("GaussianDropout", c -> new GaussianDropout(c.getDouble("rate"), c.getLongOrNull("seed"), c.name()));
    add("GaussianNoise", c -> new GaussianNoise(c.getDouble("stddev"), c.getLongOrNull("seed"), c.name()));
    add("SpatialDropout1D", c -> new SpatialDropout1D(c.getDouble("rate"), c.getLongOrNull("seed"), c.name()));
    add("SpatialDropout2D", c -> new SpatialDropout2D(c.getDouble("rate"), c.getString("data_format", null),
        c.getLongOrNull("seed"), c.name()));
    add("SpatialDropout3D", c -> new SpatialDropout3D(c.getDouble("rate"), c.getString("data_format", null),
        c.getLongOrNull("seed"), c.name()));

    // ---- reshaping
    add("Flatten", c -> {
      c.requireValue("data_format", "channels_last");
      return new Flatten(c.name());
    });
    add("Reshape", c -> new Reshape(c.name(), c.getShape("target_shape")));
    add("Permute", c -> new Permute(c.getInts("dims"), c.name()));
    add("RepeatVector", c -> new RepeatVector(c.getInt("n"), c.name()));
    add("Cropping2D", c -> {
      c.requireValue("data_format", "channels_last");
      return new Cropping2D(c.getIntPairs("cropping"), c.name());
    });
    add("ZeroPadding2D", c -> {
      c.requireValue("data_format", "channels_last");
      return new ZeroPadding2D(c.getIntPairs("padding"), c.name());
    });
    add("UpSampling2D", c -> {
      c.requireValue("data_format", "channels_last");
      return new UpSampling2D(c.getInts("size"), c.getString("interpolation", "nearest"), c.name());
    });

    // ---- recurrent
    add("SimpleRNN", c -> rnn(SimpleRNN.builder(c.getInt("units")), c).build());
    add("LSTM", c -> {
      LSTM.Builder b = rnn(LSTM.builder(c.getInt("units")), c).unitForgetBias(c.getBoolean("unit_forget_bias", true));
      ifSet(c.getString("recurrent_activation", null), b::recurrentActivation);
      return b.build();
    });
    add("GRU", c -> {
      GRU.Builder b = rnn(GRU.builder(c.getInt("units")), c).resetAfter(c.getBoolean("reset_after", true));
      ifSet(c.getString("recurrent_activation", null), b::recurrentActivation);
      return b.build();
    });
    add("Bidirectional", c -> new Bidirectional(c.layer("layer"), c.getString("merge_mode", "concat"), c.name()));
    add("TimeDistributed", c -> new TimeDistributed(c.layer("layer"), c.name()));

    // ---- preprocessing, and more core, normalization and reshaping layers
    add("Rescaling", c -> {
      if (c.get("offset") instanceof List) {
        return new Rescaling(c.getDoubles("scale"), c.getDoubles("offset"), c.name());
      }
      return c.get("scale") instanceof List ? new Rescaling(c.getDoubles("scale"), c.getDouble("offset", 0.0), c.name())
          : new Rescaling(c.getDouble("scale"), c.getDouble("offset", 0.0), c.name());
    });
    add("Normalization", c -> {
      Normalization.Builder b = Normalization.builder().name(c.name()).invert(c.getBoolean("invert", false));
      if (c.has("axis") || c.map().containsKey("axis")) {
        b.axis(c.has("axis") ? c.getInts("axis") : new int[0]);
      }
      Object mean = c.get("mean");
      Object variance = c.get("variance");
      if (mean instanceof Number m && variance instanceof Number v) {
        b.mean(m.doubleValue()).variance(v.doubleValue());
      } else if (mean != null || variance != null) {
        b.mean(floatList(c, "mean")).variance(floatList(c, "variance"));
      }
      return b.build();
    });
    add("Identity", c -> new Identity(c.name()));
    add("UnitNormalization", c -> new UnitNormalization(c.getInts("axis", -1),
        c.name()));
    add("GroupNormalization", c -> {
      GroupNormalization.Builder b = GroupNormalization.builder().groups(c.getInt("groups", 32))
          .axis(c.getInt("axis", -1));
      normalization(b, c);
      return b.build();
    });
    add("UpSampling1D", c -> new UpSampling1D(c.getInt("size", 2), c.name()));
    add("ZeroPadding1D", c -> {
      c.requireValue("data_format", "channels_last");
      return new ZeroPadding1D(c.getInts("padding", 1), c.name());
    });
    add("Cropping1D", c -> new Cropping1D(c.getInts("cropping", 1), c.name()));

    // ---- 3-D and 1-D transposed convolution, 3-D pooling and reshaping
    add("Conv3D", c -> kernelSettings(conv(Conv3D.builder(c.getInt("filters"), c.getInts("kernel_size")), c), c)
        .build());
    add("Conv1DTranspose", c -> {
      Conv1DTranspose.Builder b = Conv1DTranspose.builder(c.getInt("filters"), kernel1d(c));
      ifSet(c.getIntsOrNull("output_padding"), b::outputPadding);
      return kernelSettings(conv(b, c), c).build();
    });
    add("Conv3DTranspose", c -> {
      Conv3DTranspose.Builder b = Conv3DTranspose.builder(c.getInt("filters"), c.getInts("kernel_size"));
      ifSet(c.getIntsOrNull("output_padding"), b::outputPadding);
      return kernelSettings(conv(b, c), c).build();
    });
    add("MaxPooling3D", c -> new MaxPooling3D(pool(c), c.getIntsOrNull("strides"), padding(c), c.name()));
    add("AveragePooling3D", c -> new AveragePooling3D(pool(c), c.getIntsOrNull("strides"), padding(c), c.name()));
    add("GlobalMaxPooling3D", c -> new GlobalMaxPooling3D(keepdims(c), c.name()));
    add("GlobalAveragePooling3D", c -> new GlobalAveragePooling3D(keepdims(c), c.name()));
    add("UpSampling3D", c -> {
      c.requireValue("data_format", "channels_last");
      return new UpSampling3D(c.getInts("size", 2), c.name());
    });
    add("ZeroPadding3D", c -> {
      c.requireValue("data_format", "channels_last");
      return new ZeroPadding3D(c.has("padding") ? c.getIntPairs("padding") : new int[][] {{1, 1}, {1, 1}, {1, 1}},
          c.name());
    });
    add("Cropping3D", c -> {
      c.requireValue("data_format", "channels_last");
      return new Cropping3D(c.has("cropping") ? c.getIntPairs("cropping") : new int[][] {{1, 1}, {1, 1}, {1, 1}},
          c.name());
    });

    // ---- image preprocessing and augmentation
    add("Resizing", c -> {
      c.requireValue("data_format", "channels_last");
      c.requireValue("pad_to_aspect_ratio", false);
      c.requireValue("antialias", false);
      return Resizing.builder(c.getInt("height"), c.getInt("width")).name(c.name())
          .interpolation(c.getString("interpolation", "bilinear"))
          .cropToAspectRatio(c.getBoolean("crop_to_aspect_ratio", false)).build();
    });
    add("CenterCrop", c -> {
      c.requireValue("data_format", "channels_last");
      return new CenterCrop(c.getInt("height"), c.getInt("width"), c.name());
    });
    add("RandomFlip", c -> {
      c.requireValue("data_format", "channels_last");
      return new RandomFlip(c.getString("mode", "horizontal_and_vertical"), c.getLongOrNull("seed"), c.name());
    });
    add("RandomTranslation", c -> affine(RandomTranslation.builder(0, 0).heightFactor(c.getDoubles("height_factor"))
        .widthFactor(c.getDoubles("width_factor")), c).build());
    add("RandomRotation", c -> affine(RandomRotation.builder(c.getDoubles("factor")), c).build());
    add("RandomZoom", c -> {
      RandomZoom.Builder b = affine(RandomZoom.builder(c.getDoubles("height_factor")), c);
      ifSet(c.getDoublesOrNull("width_factor"), b::widthFactor);
      return b.build();
    });
    add("RandomContrast", c -> color(RandomContrast.builder(c.getDoubles("factor")), c).build());
    add("RandomBrightness", c -> color(RandomBrightness.builder(c.getDoubles("factor")), c).build());
    add("Discretization", c -> {
      c.requireValue("sparse", false);
      Discretization.Builder b =
          Discretization.builder().name(c.name())
              .epsilon(c.getDouble("epsilon", 0.01)).outputMode(c.getString("output_mode", "int"));
      double[] bounds = c.getDoublesOrNull("bin_boundaries");
      if (c.has("num_bins")) {
        b.numBins(c.getInt("num_bins"));
        ifSet(bounds, b::adaptedBinBoundaries);
      } else {
        b.binBoundaries(bounds);
      }
      return b.build();
    });
    add("CategoryEncoding", c -> {
      c.requireValue("sparse", false);
      return new CategoryEncoding(c.getInt("num_tokens"),
          c.getString("output_mode", "multi_hot"), c.name());
    });
    add("IntegerLookup", c -> {
      c.requireValue("sparse", false);
      c.requireValue("vocabulary_dtype", "int64");
      c.requireValue("oov_method", "floormod");
      c.requireValue("salt", null);
      IntegerLookup.Builder b =
          IntegerLookup.builder().name(c.name())
              .maxTokens(c.has("max_tokens") ? c.getInt("max_tokens") : null)
              .numOovIndices(c.getInt("num_oov_indices", 1)).maskToken(c.getLongOrNull("mask_token"))
              .oovToken(c.has("oov_token") ? c.getLong("oov_token") : -1).invert(c.getBoolean("invert", false))
              .outputMode(c.getString("output_mode", "int"))
              .padToMaxTokens(c.getBoolean("pad_to_max_tokens", false));
      if (c.has("vocabulary")) {
        double[] v = c.getDoubles("vocabulary");
        b.vocabulary(Arrays.stream(v).mapToLong(x -> (long) x).toArray());
      } else if (c.has("vocabulary_size")) {
        b.vocabularySize(c.getInt("vocabulary_size"));
      }
      if (c.has("idf_weights")) {
        double[] w = c.getDoubles("idf_weights");
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
          f[i] = (float) w[i];
        }
        b.idfWeights(f);
      }
      return b.build();
    });
    add("RandomCrop", c -> {
      c.requireValue("data_format", "channels_last");
      return new RandomCrop(c.getInt("height"), c.getInt("width"),
          c.getLongOrNull("seed"), c.name());
    });
    add("Hashing", c -> {
      c.requireValue("sparse", false);
      Hashing.Builder b =
          Hashing.builder(c.getInt("num_bins")).name(c.name())
              .outputMode(c.getString("output_mode", "int")).maskValue(c.getDoubleOrNull("mask_value"));
      if (c.has("salt")) {
        long[] salt = Arrays.stream(c.getDoubles("salt")).mapToLong(v -> (long) v).toArray();
        b.salt(salt.length == 1 ? new long[] {salt[0], salt[0]} : salt);
      }
      return b.build();
    });

    // ---- convolutional recurrent
    add("ConvLSTM1D", c -> convLstm(ConvLSTM1D.builder(c.getInt("filters"), c.getInts("kernel_size")), c).build());
    add("ConvLSTM2D", c -> convLstm(ConvLSTM2D.builder(c.getInt("filters"), c.getInts("kernel_size")), c).build());
    add("ConvLSTM3D", c -> convLstm(ConvLSTM3D.builder(c.getInt("filters"), c.getInts("kernel_size")), c).build());

    // ---- adaptive pooling
    add("AdaptiveAveragePooling1D",
        c -> new AdaptiveAveragePooling1D(c.getInts("output_size"), c.getString("data_format", null), c.name()));
    add("AdaptiveAveragePooling2D",
        c -> new AdaptiveAveragePooling2D(c.getInts("output_size"), c.getString("data_format", null), c.name()));
    add("AdaptiveAveragePooling3D",
        c -> new AdaptiveAveragePooling3D(c.getInts("output_size"), c.getString("data_format", null), c.name()));
    add("AdaptiveMaxPooling1D",
        c -> new AdaptiveMaxPooling1D(c.getInts("output_size"), c.getString("data_format", null), c.name()));
    add("AdaptiveMaxPooling2D",
        c -> new AdaptiveMaxPooling2D(c.getInts("output_size"), c.getString("data_format", null), c.name()));
    add("AdaptiveMaxPooling3D",
        c -> new AdaptiveMaxPooling3D(c.getInts("output_size"), c.getString("data_format", null), c.name()));
    add("RandomShear", c -> affine(RandomShear.builder().xFactor(shearFactor(c, "x_factor"))
        .yFactor(shearFactor(c, "y_factor")), c).build());
    add("RandomErasing", c -> {
      c.requireValue("data_format", "channels_last");
      RandomErasing.Builder b = RandomErasing.builder(c.getDoubles("factor", 1))
          .name(c.name()).fillValue(c.getDoubleOrNull("fill_value"));
      ifSet(c.getDoublesOrNull("scale"), b::scale);
      ifSet(c.getLongOrNull("seed"), b::seed);
      double[] range = valueRange(c);
      return b.valueRange(range[0], range[1]).build();
    });
    add("RandomGaussianBlur", c -> {
      c.requireValue("data_format", "channels_last");
      RandomGaussianBlur.Builder b = RandomGaussianBlur.builder(
          c.getDoubles("factor", 1)).name(c.name());
      ifSet(c.getIntsOrNull("kernel_size"), b::kernelSize);
      ifSet(c.getDoublesOrNull("sigma"), b::sigma);
      ifSet(c.getLongOrNull("seed"), b::seed);
      double[] range = valueRange(c);
      return b.valueRange(range[0], range[1]).build();
    });
    add("RandomSharpness", c -> {
      c.requireValue("data_format", "channels_last");
      RandomSharpness.Builder b = RandomSharpness.builder(c.getDoubles("factor")).name(c.name());
      ifSet(c.getLongOrNull("seed"), b::seed);
      double[] range = valueRange(c);
      return b.valueRange(range[0], range[1]).build();
    });
    add("AutoContrast", c -> {
      c.requireValue("data_format", "channels_last");
      double[] range = valueRange(c);
      return new AutoContrast(range[0], range[1], c.name());
    });
    add("Equalization", c -> {
      c.requireValue("data_format", "channels_last");
      double[] range = valueRange(c);
      return new Equalization(range[0], range[1], c.getInt("bins", 256), c.name());
    });

    // ---- colour augmentation
    add("RandomGrayscale", c -> {
      c.requireValue("data_format", "channels_last");
      return new RandomGrayscale(c.getDouble("factor", 0.5), c.getLongOrNull("seed"), c.name());
    });
    add("RandomInvert", c -> color(RandomInvert.builder(c.getDoubles("factor", 1)), c).build());
    add("Solarization", c -> {
      c.requireValue("data_format", "channels_last");
      Solarization.Builder b = Solarization.builder().name(c.name());
      ifSet(c.getDoublesOrNull("addition_factor"), b::additionFactor);
      ifSet(c.getDoublesOrNull("threshold_factor"), b::thresholdFactor);
      ifSet(c.getLongOrNull("seed"), b::seed);
      double[] range = valueRange(c);
      return b.valueRange(range[0], range[1]).build();
    });
    add("RandomPosterization", c -> color(RandomPosterization.builder(c.getInts("factor")), c).build());
    add("RandomSaturation", c -> color(RandomSaturation.builder(c.getDoubles("factor")), c).build());
    add("RandomHue", c -> color(RandomHue.builder(c.getDoubles("factor")), c).build());
    add("RandomColorDegeneration", c -> color(RandomColorDegeneration.builder(c.getDoubles("factor")), c).build());
    add("RandomColorJitter", c -> {
      c.requireValue("data_format", "channels_last");
      RandomColorJitter.Builder b = RandomColorJitter.builder().name(c.name());
      ifSet(c.getLongOrNull("seed"), b::seed);
      double[] range = valueRange(c);
      b.valueRange(range[0], range[1]);
      ifSet(c.getDoublesOrNull("brightness_factor"), b::brightnessFactor);
      ifSet(c.getDoublesOrNull("contrast_factor"), b::contrastFactor);
      ifSet(c.getDoublesOrNull("saturation_factor"), b::saturationFactor);
      ifSet(c.getDoublesOrNull("hue_factor"), b::hueFactor);
      return b.build();
    });

    // ---- core: EinsumDense
    add("EinsumDense", c -> {
      if (c.get("quantization_config") != null) {
        throw new IllegalArgumentException(c.owner() + ": quantization is not supported by Keras4J");
      }
      EinsumDense.Builder b = EinsumDense.builder(c.getString("equation"), sizesOrNone(c, "output_shape"))
          .name(c.name()).biasAxes(c.getString("bias_axes", null));
      ifSet(c.getString("activation", null), b::activation);
      ifSet(c.initializer("kernel_initializer"), b::kernelInitializer);
      ifSet(c.initializer("bias_initializer"), b::biasInitializer);
      b.kernelRegularizer(c.regularizer("kernel_regularizer")).biasRegularizer(c.regularizer("bias_regularizer"));
      b.kernelConstraint(c.constraint("kernel_constraint")).biasConstraint(c.constraint("bias_constraint"));
      b.loraRank(loraRank(c)).loraAlpha(c.getDoubleOrNull("lora_alpha"));
      return b.build();
    });

    // ---- attention: GroupedQueryAttention
    add("GroupedQueryAttention", c -> {
      GroupedQueryAttention.Builder b = GroupedQueryAttention.builder(c.getInt("head_dim"),
          c.getInt("num_query_heads"), c.getInt("num_key_value_heads")).name(c.name())
          .useBias(c.getBoolean("use_bias", true)).dropout(c.getDouble("dropout", 0.0))
          .useCausalMask(c.getBoolean("use_causal_mask", false));
      c.requireValue("use_gate", false);
      if (c.get("sliding_window") != null) {
        throw new IllegalArgumentException(c.owner() + ": sliding_window is not supported by Keras4J (only null)");
      }
      ifSet(c.initializer("kernel_initializer"), b::kernelInitializer);
      ifSet(c.initializer("bias_initializer"), b::biasInitializer);
      b.kernelRegularizer(c.regularizer("kernel_regularizer")).biasRegularizer(c.regularizer("bias_regularizer"));
      b.kernelConstraint(c.constraint("kernel_constraint")).biasConstraint(c.constraint("bias_constraint"));
      return b.seed(c.getLongOrNull("seed")).build();
    });

    // ---- more normalization and regularization
    add("RMSNormalization", c -> new RMSNormalization(c.getInts("axis", -1),
        c.getDouble("epsilon", 1e-6), c.name()));
    add("AlphaDropout", c -> new AlphaDropout(c.getDouble("rate"), c.has("noise_shape") ? c.getShape("noise_shape")
        : null, c.getLongOrNull("seed"), c.name()));
    add("SpectralNormalization", c -> new SpectralNormalization(c.layer("layer"), c.getInt("power_iterations", 1),
        c.name()));

    // ---- perspective and mixing augmentation
    add("RandomPerspective", c -> {
      c.requireValue("data_format", "channels_last");
      RandomPerspective.Builder b = RandomPerspective.builder().name(c.name()).factor(c.getDoubles("factor", 1))
          .scale(c.getDouble("scale", 1.0)).interpolation(c.getString("interpolation", "bilinear"))
          .fillValue(c.getDouble("fill_value", 0.0));
      ifSet(c.getLongOrNull("seed"), b::seed);
      return b.build();
    });
    add("MixUp", c -> {
      c.requireValue("data_format", "channels_last");
      MixUp.Builder b = MixUp.builder().name(c.name()).alpha(c.getDouble("alpha", 0.2));
      ifSet(c.getLongOrNull("seed"), b::seed);
      return b.build();
    });
    add("CutMix", c -> {
      c.requireValue("data_format", "channels_last");
      CutMix.Builder b = CutMix.builder().name(c.name()).factor(c.getDoubles("factor", 1));
      ifSet(c.getLongOrNull("seed"), b::seed);
      return b.build();
    });

    // ---- recurrent cells and the RNN layer
    add("SimpleRNNCell", c -> cell(SimpleRNNCell.builder(c.getInt("units")), c).build());
    add("LSTMCell", c -> {
      LSTMCell.Builder b = cell(LSTMCell.builder(c.getInt("units")), c)
          .unitForgetBias(c.getBoolean("unit_forget_bias", true));
      ifSet(c.getString("recurrent_activation", null), b::recurrentActivation);
      return b.build();
    });
    add("GRUCell", c -> {
      GRUCell.Builder b = cell(GRUCell.builder(c.getInt("units")), c).resetAfter(c.getBoolean("reset_after", true));
      ifSet(c.getString("recurrent_activation", null), b::recurrentActivation);
      return b.build();
    });
    add("StackedRNNCells", c -> {
      List<RnnCell> cells = new ArrayList<>();
      for (Object spec : c.getList("cells")) {
        cells.add(rnnCell(c, "cells", LayerRegistry.deserialize(spec, c.customObjects())));
      }
      return new StackedRNNCells(cells, c.name());
    });
    add("RNN", c -> {
      if (c.getBoolean("stateful", false)) {
        throw new IllegalArgumentException(c.owner() + ": stateful recurrent layers are not supported by Keras4J");
      }
      return RNN.builder(rnnCell(c, "cell", c.layer("cell"))).name(c.name())
          .returnSequences(c.getBoolean("return_sequences", false)).returnState(c.getBoolean("return_state", false))
          .goBackwards(c.getBoolean("go_backwards", false))
          .zeroOutputForMask(c.getBoolean("zero_output_for_mask", false)).build();
    });

    // ---- audio preprocessing
    add("STFTSpectrogram", c -> {
      // Absent keys take Keras's defaults; a null window or scaling means none.
      Object window = c.map().containsKey("window") ? c.get("window") : "hann";
      if (window != null && !(window instanceof String)) {
        throw new IllegalArgumentException(c.owner() + ": 'window' must be \"hann\", \"hamming\" or null; "
            + "window arrays are not supported by Keras4J");
      }
      return STFTSpectrogram.builder().name(c.name()).mode(c.getString("mode", "log"))
          .frameLength(c.getInt("frame_length", 256))
          .frameStep(c.has("frame_step") ? c.getInt("frame_step") : null)
          .fftLength(c.has("fft_length") ? c.getInt("fft_length") : null)
          .window((String) window).periodic(c.getBoolean("periodic", false))
          .scaling(c.map().containsKey("scaling") ? c.getString("scaling", null) : "density").padding(c.getString("padding", "valid"))
          .expandDims(c.getBoolean("expand_dims", false))
          .dataFormat(c.getString("data_format", "channels_last")).build();
    });
    add("MelSpectrogram", c -> {
      Object window = c.map().containsKey("window") ? c.get("window") : "hann";
      if (window != null && !(window instanceof String)) {
        throw new IllegalArgumentException(c.owner() + ": 'window' must be \"hann\", \"hamming\" or null; "
            + "window arrays are not supported by Keras4J");
      }
      return MelSpectrogram.builder().name(c.name()).fftLength(c.getInt("fft_length", 2048))
          .sequenceStride(c.getInt("sequence_stride", 512))
          .sequenceLength(c.has("sequence_length") ? c.getInt("sequence_length") : null).window((String) window)
          .samplingRate(c.getInt("sampling_rate", 16000)).numMelBins(c.getInt("num_mel_bins", 128))
          .minFreq(c.getDouble("min_freq", 20.0)).maxFreq(c.getDoubleOrNull("max_freq"))
          .powerToDb(c.getBoolean("power_to_db", true)).topDb(c.getDouble("top_db", 80.0))
          .magExp(c.getDouble("mag_exp", 2.0)).minPower(c.getDouble("min_power", 1e-10))
          .refPower(c.getDouble("ref_power", 1.0)).build();
    });

    // ---- HashedCrossing, Pipeline, ReversibleEmbedding
    add("HashedCrossing", c -> {
      c.requireValue("sparse", false);
      return HashedCrossing.builder(c.getInt("num_bins")).name(c.name())
          .outputMode(c.getString("output_mode", "int")).build();
    });
    add("Pipeline", c -> {
      if (!(c.get("layers") instanceof List<?> specs)) {
        throw new IllegalArgumentException(c.owner() + ": `Pipeline` config must contain a `layers` key mapping to "
            + "a list of serialized layers. Received config with layers=" + Json.describe(c.get("layers")));
      }
      List<Layer> layers = new ArrayList<>();
      for (Object spec : specs) {
        layers.add(LayerRegistry.deserialize(spec, c.customObjects()));
      }
      return new Pipeline(layers, c.name());
    });
    add("ReversibleEmbedding", c -> {
      c.requireValue("reverse_dtype", null);
      ReversibleEmbedding.Builder b = ReversibleEmbedding.builder(c.getInt("input_dim"), c.getInt("output_dim"))
          .name(c.name()).tieWeights(c.getBoolean("tie_weights", true)).maskZero(c.getBoolean("mask_zero", false))
          .logitSoftCap(c.getDoubleOrNull("logit_soft_cap"));
      ifSet(c.initializer("embeddings_initializer"), b::embeddingsInitializer);
      b.embeddingsRegularizer(c.regularizer("embeddings_regularizer"));
      b.embeddingsConstraint(c.constraint("embeddings_constraint"));
      return b.build();
    });

    // ---- core: TernaryDense (the training path; Keras's quantized form is not supported)
    add("TernaryDense", c -> {
      // Keras saves a quantized layer with a TernaryDTypePolicy ("ternary_from_float32") and a packed uint8 kernel.
      Object dtype = c.get("dtype");
      if (dtype != null && String.valueOf(dtype).contains("ternary")) {
        throw new IllegalArgumentException(c.owner() + ": a quantized TernaryDense (quantize(\"ternary\"), dtype "
            + Json.describe(dtype) + ") is not supported by Keras4J; save the layer before quantizing it");
      }
      TernaryDense.Builder b = TernaryDense.builder(c.getInt("units")).name(c.name())
          .threshold(c.getDoubleOrNull("threshold")).useBias(c.getBoolean("use_bias", true));
      ifSet(c.getString("activation", null), b::activation);
      ifSet(c.initializer("kernel_initializer"), b::kernelInitializer);
      ifSet(c.initializer("bias_initializer"), b::biasInitializer);
      b.kernelRegularizer(c.regularizer("kernel_regularizer")).biasRegularizer(c.regularizer("bias_regularizer"));
      b.kernelConstraint(c.constraint("kernel_constraint")).biasConstraint(c.constraint("bias_constraint"));
      return b.build();
    });

    // ---- augmentation policies
    add("RandAugment", c -> {
      c.requireValue("data_format", "channels_last");
      RandAugment.Builder b = RandAugment.builder().name(c.name()).numOps(c.getInt("num_ops", 2))
          .factor(c.getDoubles("factor", 0.5)).interpolation(c.getString("interpolation", "bilinear"));
      ifSet(c.getLongOrNull("seed"), b::seed);
      double[] range = valueRange(c);
      return b.valueRange(range[0], range[1]).build();
    });
    add("AugMix", c -> {
      c.requireValue("data_format", "channels_last");
      AugMix.Builder b = AugMix.builder().name(c.name()).numChains(c.getInt("num_chains", 3))
          .chainDepth(c.getInt("chain_depth", 3)).factor(c.getDoubles("factor", 0.3))
          .alpha(c.getDouble("alpha", 1.0)).allOps(c.getBoolean("all_ops", true))
          .interpolation(c.getString("interpolation", "bilinear"));
      ifSet(c.getLongOrNull("seed"), b::seed);
      double[] range = valueRange(c);
      return b.valueRange(range[0], range[1]).build();
    });

    // ---- elastic deformation and adaptive equalization
    add("RandomElasticTransform", c -> {
      c.requireValue("data_format", "channels_last");
      RandomElasticTransform.Builder b = RandomElasticTransform.builder().name(c.name())
          .factor(c.getDoubles("factor", 1)).scale(c.getDoubles("scale", 1))
          .interpolation(c.getString("interpolation", "bilinear")).fillMode(c.getString("fill_mode", "reflect"))
          .fillValue(c.getDouble("fill_value", 0.0));
      ifSet(c.getLongOrNull("seed"), b::seed);
      double[] range = valueRange(c);
      return b.valueRange(range[0], range[1]).build();
    });
    add("ContrastLimitedAdaptiveHistogramEqualization", c -> {
      c.requireValue("data_format", "channels_last");
      double[] range = valueRange(c);
      return new ContrastLimitedAdaptiveHistogramEqualization(range[0], range[1], c.getDouble("clip_limit", 4.0),
          c.getInts("tile_grid_size", 8, 8), c.name());
    });

    // ---- StringLookup, TextVectorization
    add("StringLookup", c -> {
      c.requireValue("sparse", false);
      c.requireValue("vocabulary_dtype", "string");
      StringLookup.Builder b = StringLookup.builder().name(c.name())
          .maxTokens(c.has("max_tokens") ? c.getInt("max_tokens") : null)
          .numOovIndices(c.getInt("num_oov_indices", 1)).maskToken(c.getString("mask_token", null))
          .oovToken(c.getString("oov_token", "[UNK]")).invert(c.getBoolean("invert", false))
          .outputMode(c.getString("output_mode", "int")).padToMaxTokens(c.getBoolean("pad_to_max_tokens", false));
      if (c.has("vocabulary")) {
        b.vocabulary(strings(c, "vocabulary"));
      }
      if (c.has("idf_weights")) {
        b.idfWeights(floats(c.getDoubles("idf_weights")));
      }
      return b.build();
    });
    add("TextVectorization", c -> {
      c.requireValue("sparse", false);
      c.requireValue("ragged", false);
      TextVectorization.Builder b = TextVectorization.builder().name(c.name())
          .maxTokens(c.has("max_tokens") ? c.getInt("max_tokens") : null)
          .standardize(c.map().containsKey("standardize") ? c.getString("standardize", null)
              : "lower_and_strip_punctuation")
          .split(c.map().containsKey("split") ? c.getString("split", null) : "whitespace")
          .outputMode(c.getString("output_mode", "int"))
          .outputSequenceLength(c.has("output_sequence_length") ? c.getInt("output_sequence_length") : null)
          .padToMaxTokens(c.getBoolean("pad_to_max_tokens", false));
      if (c.get("ngrams") instanceof List<?>) {
        b.ngramWidths(c.getInts("ngrams"));
      } else if (c.has("ngrams")) {
        b.ngrams(c.getInt("ngrams"));
      }
      if (c.has("vocabulary")) {
        b.vocabulary(strings(c, "vocabulary"));
      }
      if (c.has("idf_weights")) {
        b.idfWeights(floats(c.getDoubles("idf_weights")));
      }
      return b.build();
    });
  }

  /** A list of strings, with an error naming the owner otherwise. */
  private static List<String> strings(Config c, String key) {
    List<String> out = new ArrayList<>();
    for (Object o : c.getList(key)) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException(c.owner() + ": '" + key + "' must be a list of strings, found "
            + Json.describe(o));
      }
      out.add(s);
    }
    return out;
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** Keras's {@code lora_rank}: null when absent, null or 0 (Keras's {@code if self.lora_rank:}). */
  private static Integer loraRank(Config c) {
    int rank = c.getInt("lora_rank", 0);
    return rank == 0 ? null : rank;
  }

  /** A size or a list of sizes with nulls for None ({@code 64}, {@code [null, 64]}), as EinsumDense's output_shape. */
  private static Integer[] sizesOrNone(Config c, String key) {
    Object v = c.get(key);
    List<?> list = v instanceof List<?> l ? l : Collections.singletonList(v);
    Integer[] out = new Integer[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object d = list.get(i);
      if (d != null && !(d instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()))) {
        throw new IllegalArgumentException(c.owner() + ": '" + key + "' must be an integer or a list of integers "
            + "and nulls, found " + Json.describe(v));
      }
      out[i] = d == null ? null : ((Number) d).intValue();
    }
    return out;
  }

  /** The settings the geometric augmentation layers share. */
  private static <B extends BaseAffineTransformLayer.Builder<B>> B affine(B b, Config c) {
    c.requireValue("data_format", "channels_last");
    b.name(c.name()).fillMode(c.getString("fill_mode", "reflect"))
        .interpolation(c.getString("interpolation", "bilinear")).fillValue(c.getDouble("fill_value", 0.0));
    ifSet(c.getLongOrNull("seed"), b::seed);
    return b;
  }

  /**
   * A RandomShear factor: absent is 0; Keras saves a number {@code f} as the pair {@code (-f, f)}, which its
   * constructor rejects, so that pair is read back as {@code f}.
   */
  private static double[] shearFactor(Config c, String key) {
    double[] f = c.getDoubles(key, 0);
    return f.length == 2 && f[0] < 0 && f[0] == -f[1] ? new double[] {f[1]} : f;
  }

  /** An image layer's {@code value_range} as {@code (low, high)}; Keras's default {@code [0, 255]}. */
  private static double[] valueRange(Config c) {
    double[] range = c.getDoubles("value_range", 0, 255);
    return new double[] {range[0], range[range.length - 1]};
  }

  /** The settings the color augmentation layers share: name, seed and value range (default {@code [0, 255]}). */
  private static <B extends BaseColorAugmentation.Builder<B>> B color(B b, Config c) {
    c.requireValue("data_format", "channels_last");
    b.name(c.name());
    ifSet(c.getLongOrNull("seed"), b::seed);
    double[] range = valueRange(c);
    return b.valueRange(range[0], range[1]);
  }

  /** A list of numbers ({@code [0.5, 2.0]}) as floats, or null when absent; for Normalization's mean and variance. */
  private static float[] floatList(Config c, String key) {
    if (!c.has(key)) {
      return null;
    }
    List<?> list = c.getList(key);
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new IllegalArgumentException(c.owner() + ": '" + key + "' must be a number or a list of numbers "
            + "(Keras4J reads 1-D statistics only), found " + Json.describe(c.get(key)));
      }
      out[i] = n.floatValue();
    }
    return out;
  }

  // ------------------------------------------------------------------ shared settings

  private static <B extends BaseConv.Builder<B>> B conv(B b, Config c) {
    c.requireValue("data_format", "channels_last");
    b.name(c.name()).useBias(c.getBoolean("use_bias", true));
    ifSet(c.getIntsOrNull("strides"), b::strides);
    ifSet(c.getString("padding", null), b::padding);
    ifSet(c.getIntsOrNull("dilation_rate"), b::dilationRate);
    ifSet(c.getString("activation", null), b::activation);
    ifSet(c.initializer("bias_initializer"), b::biasInitializer);
    b.biasRegularizer(c.regularizer("bias_regularizer")).biasConstraint(c.constraint("bias_constraint"));
    return b;
  }

  private static <B extends BaseConv.KernelBuilder<B>> B kernelSettings(B b, Config c) {
    ifSet(c.initializer("kernel_initializer"), b::kernelInitializer);
    b.kernelRegularizer(c.regularizer("kernel_regularizer")).kernelConstraint(c.constraint("kernel_constraint"));
    return b;
  }

  private static <B extends BaseConv.DepthwiseBuilder<B>> B depthwiseSettings(B b, Config c) {
    b.depthMultiplier(c.getInt("depth_multiplier", 1));
    ifSet(c.initializer("depthwise_initializer"), b::depthwiseInitializer);
    b.depthwiseRegularizer(c.regularizer("depthwise_regularizer"));
    b.depthwiseConstraint(c.constraint("depthwise_constraint"));
    return b;
  }
  private static <B extends BaseSeparableConv.SeparableBuilder<B>> B separableSettings(B b, Config c) {
    depthwiseSettings(conv(b, c), c);
    ifSet(c.initializer("pointwise_initializer"), b::pointwiseInitializer);
    b.pointwiseRegularizer(c.regularizer("pointwise_regularizer"));
    b.pointwiseConstraint(c.constraint("pointwise_constraint"));
    return b;
  }

  /** The one {@code kernel_size} value of a 1-D convolution. */
  private static int kernel1d(Config c) {
    int[] kernel = c.getInts("kernel_size");
    if (kernel.length != 1) {
      throw new IllegalArgumentException(c.owner() + ": kernel_size must have 1 value, found "
          + Arrays.toString(kernel));
    }
    return kernel[0];
  }


  private static <B extends NormalizationBuilder<B>> void normalization(B b, Config c) {
    b.name(c.name()).epsilon(c.getDouble("epsilon", 1e-3)).center(c.getBoolean("center", true))
        .scale(c.getBoolean("scale", true));
    ifSet(c.initializer("beta_initializer"), b::betaInitializer);
    ifSet(c.initializer("gamma_initializer"), b::gammaInitializer);
    b.betaRegularizer(c.regularizer("beta_regularizer")).gammaRegularizer(c.regularizer("gamma_regularizer"));
    b.betaConstraint(c.constraint("beta_constraint")).gammaConstraint(c.constraint("gamma_constraint"));
  }

  private static int[] pool(Config c) {
    c.requireValue("data_format", "channels_last");
    return c.getInts("pool_size", 2);
  }

  private static String padding(Config c) {
    return c.getString("padding", "valid");
  }

  private static boolean keepdims(Config c) {
    c.requireValue("data_format", "channels_last");
    return c.getBoolean("keepdims", false);
  }

  private static <B extends RnnBuilder<B>> B rnn(B b, Config c) {
    if (c.getBoolean("stateful", false)) {
      throw new IllegalArgumentException(c.owner() + ": stateful recurrent layers are not supported by Keras4J");
    }
    cell(b, c);
    b.returnSequences(c.getBoolean("return_sequences", false)).returnState(c.getBoolean("return_state", false))
        .goBackwards(c.getBoolean("go_backwards", false));
    return b;
  }

  /** The settings a recurrent layer shares with its cell: name, activation, weights, dropout and seed. */
  private static <B extends CellBuilder<B>> B cell(B b, Config c) {
    b.name(c.name()).useBias(c.getBoolean("use_bias", true));
    ifSet(c.getString("activation", null), b::activation);
    ifSet(c.initializer("kernel_initializer"), b::kernelInitializer);
    ifSet(c.initializer("recurrent_initializer"), b::recurrentInitializer);
    ifSet(c.initializer("bias_initializer"), b::biasInitializer);
    b.kernelRegularizer(c.regularizer("kernel_regularizer"));
    b.recurrentRegularizer(c.regularizer("recurrent_regularizer"));
    b.biasRegularizer(c.regularizer("bias_regularizer"));
    b.kernelConstraint(c.constraint("kernel_constraint"));
    b.recurrentConstraint(c.constraint("recurrent_constraint"));
    b.biasConstraint(c.constraint("bias_constraint"));
    b.dropout(c.getDouble("dropout", 0.0)).recurrentDropout(c.getDouble("recurrent_dropout", 0.0));
    ifSet(c.getLongOrNull("seed"), b::seed);
    return b;
  }

  /** {@code layer}, read from {@code key}, as a cell; an error naming the owner otherwise. */
  private static RnnCell rnnCell(Config c, String key, Layer layer) {
    if (!(layer instanceof RnnCell cell)) {
      throw new IllegalArgumentException(c.owner() + ": '" + key + "' must hold recurrent cells (SimpleRNNCell, "
          + "LSTMCell, GRUCell, StackedRNNCells or an RnnCell subclass), found "
          + (layer == null ? "null" : layer.getClass().getSimpleName()));
    }
    return cell;
  }

  private static <B extends ConvLSTM.Builder<B>> B convLstm(B b, Config c) {
    c.requireValue("data_format", "channels_last");
    rnn(b, c).unitForgetBias(c.getBoolean("unit_forget_bias", true));
    ifSet(c.getString("recurrent_activation", null), b::recurrentActivation);
    ifSet(c.getIntsOrNull("strides"), b::strides);
    ifSet(c.getString("padding", null), b::padding);
    ifSet(c.getIntsOrNull("dilation_rate"), b::dilationRate);
    return b;
  }
}
