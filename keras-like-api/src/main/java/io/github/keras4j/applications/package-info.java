/**
 * Keras's {@code keras.applications}: the classic image-classification architectures built with the functional API,
 * with Keras's layer names, arguments, defaults, input-shape checks and {@code preprocess_input} functions.
 *
 * <ul>
 *   <li>{@link io.github.keras4j.applications.VGG16}, {@link io.github.keras4j.applications.VGG19}
 *   <li>{@link io.github.keras4j.applications.ResNet} (ResNet50, ResNet101, ResNet152) and
 *       {@link io.github.keras4j.applications.ResNetV2} (ResNet50V2, ResNet101V2, ResNet152V2)
 *   <li>{@link io.github.keras4j.applications.MobileNet}, {@link io.github.keras4j.applications.MobileNetV2}
 *   <li>{@link io.github.keras4j.applications.DenseNet} (DenseNet121, DenseNet169, DenseNet201)
 *   <li>{@link io.github.keras4j.applications.Xception}
 * </ul>
 *
 * <p>Every factory takes an {@link io.github.keras4j.applications.ApplicationOptions} (Keras's keyword arguments) and
 * returns a {@link io.github.keras4j.models.Model}:
 *
 * <pre>{@code
 * try (Model model = ResNet.resNet50(new ApplicationOptions().includeTop(false).inputShape(160, 160, 3)
 *     .pooling("avg"))) {
 *   model.summary();                               // (None, 2048) features, layer names as Keras's
 * }
 * float[] x = ResNet.preprocessInput(rgbPixels);    // Keras's resnet.preprocess_input ("caffe" mode)
 * }</pre>
 *
 * <p><b>Pretrained weights.</b> {@code weights("imagenet")} downloads Keras's ImageNet weights for the architecture
 * (the same HDF5 files, URLs and hashes as Keras, cached in {@code ~/.keras4j/models}, see
 * {@link io.github.keras4j.utils.FileUtils#getFile}) and loads them as Keras does, by layer order. Keras's rules apply:
 * {@code classes} must be 1000 and the input the default size with the top, images have 3 channels, and MobileNet and
 * MobileNetV2 have weights for some {@code alpha} values and input sizes only. Without {@code weights} the models
 * start from random weights ({@code weights=null}, which is Keras4J's default where Keras's is {@code "imagenet"});
 * a path loads that file (a Keras4J weights file written by {@link io.github.keras4j.models.Model#saveWeights}, or
 * a Keras {@code .h5} file). The predictions of an ImageNet classifier decode with
 * {@link io.github.keras4j.applications.ImageNetUtils#decodePredictions}.
 *
 * <p>Java differences: channels-last only (Keras's default {@code image_data_format}); inputs have static sizes, so
 * a model without its top needs an {@code inputShape} (Keras would accept images of any size); an unknown
 * {@code pooling} value is an error where Keras ignores it.
 */
package io.github.keras4j.applications;
