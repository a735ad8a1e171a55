/**
 * Metrics reported during fit and evaluate, after Keras 3's {@code keras.metrics}: accuracies
 * ({@link io.github.keras4j.metrics.BinaryAccuracy}, {@link io.github.keras4j.metrics.CategoricalAccuracy},
 * {@link io.github.keras4j.metrics.SparseCategoricalAccuracy}, {@link io.github.keras4j.metrics.Accuracy}),
 * regression errors and correlations, classification metrics computed from the counts of the epoch (Precision,
 * Recall, AUC, the confusion-matrix counts such as {@link io.github.keras4j.metrics.TruePositives}, the rates at a
 * target such as {@link io.github.keras4j.metrics.PrecisionAtRecall}, {@link io.github.keras4j.metrics.F1Score} and
 * {@link io.github.keras4j.metrics.FBetaScore}), Intersection-Over-Union ({@link io.github.keras4j.metrics.IoU} and
 * its family), Java-side {@link io.github.keras4j.metrics.Mean} and {@link io.github.keras4j.metrics.Sum} for custom
 * training loops, lookup by id with the shape-based choice of {@code "accuracy"}
 * ({@link io.github.keras4j.metrics.Metrics}), and a Java-side {@link io.github.keras4j.metrics.ConfusionMatrix}.
 */
package io.github.keras4j.metrics;
