package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;
import java.util.Map;

/**
 * Computes the mean Intersection-Over-Union over all classes, Keras's {@code keras.metrics.MeanIoU}: an {@link IoU}
 * whose target classes are {@code 0 .. numClasses - 1}. Classes that never occurred as a label or a prediction are
 * left out of the mean, as in Keras 3.
 *
 * <p>Defaults: {@code name="mean_io_u"} (Keras's automatic name of the class), {@code ignoreClass=null},
 * {@code sparseYTrue=true}, {@code sparseYPred=true}, {@code axis=-1}. No string id: construct it.
 *
 * <p>Example (Keras 3's docstring, checked in {@code IoUMetricsTest}):
 *
 * <pre>{@code
 * MeanIoU m = new MeanIoU(2);
 * // y_true = [0, 0, 1, 1], y_pred = [0, 1, 0, 1]: (1/3 + 1/3) / 2 = 0.33333334
 * // with sample weights [0.3, 0.3, 0.3, 0.1]: (0.3/0.9 + 0.1/0.7) / 2 = 0.23809525
 * }</pre>
 *
 * <p>For a segmentation model with softmax outputs {@code (batch, h, w, classes)} and integer masks
 * {@code (batch, h, w)}: {@code new MeanIoU("mean_io_u", classes, null, true, false, -1)}. See {@link IoU} for the
 * differences from Keras.
 */
public sealed class MeanIoU extends IoU permits OneHotMeanIoU {

  /**
   * The mean IoU over {@code numClasses} classes, named {@code mean_io_u}, for class indices as labels and
   * predictions.
   */
  public MeanIoU(int numClasses) {
    this("mean_io_u", numClasses, null, true, true, -1);
  }

  /**
   * A mean IoU.
   *
   * @param name the name in logs
   * @param numClasses the number of classes, at least 1
   * @param ignoreClass a label left out of the counts, or null to count every class
   * @param sparseYTrue whether labels are class indices (true) or scores whose argmax along {@code axis} is the class
   * @param sparseYPred whether predictions are class indices (true) or scores whose argmax along {@code axis} is the
   *     class
   * @param axis the axis of the scores
   */
  public MeanIoU(String name, int numClasses, Integer ignoreClass, boolean sparseYTrue, boolean sparseYPred,
      int axis) {
    super(name, numClasses, allClasses(numClasses), ignoreClass, sparseYTrue, sparseYPred, axis);
  }

  /**
   * A mean IoU from its saved config (Keras's keys: {@code name}, {@code num_classes}, {@code ignore_class},
   * {@code sparse_y_true}, {@code sparse_y_pred}, {@code axis}).
   */
  public static MeanIoU fromConfig(Map<String, Object> config) {
    Config c = new Config(config, "MeanIoU", null);
    return new MeanIoU(c.getString("name", "mean_io_u"), c.getInt("num_classes"), ignoreClass(c),
        c.getBoolean("sparse_y_true", true), c.getBoolean("sparse_y_pred", true), c.getInt("axis", -1));
  }

  @Override
  public MeanIoU withName(String newName) {
    return new MeanIoU(newName, numClasses(), ignoreClass(), sparseYTrue(), sparseYPred(), axis());
  }

  /** As {@link IoU#getConfig()} less {@code target_class_ids} (always every class), as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("target_class_ids");
    return config;
  }
}
