package io.github.keras4j.metrics;

import io.github.keras4j.saving.Config;
import java.util.Map;

/**
 * Computes the Intersection-Over-Union of target classes for one-hot labels, Keras's {@code keras.metrics.OneHotIoU}:
 * an {@link IoU} whose labels are one-hot (or any scores: their argmax along {@code axis} is the class) and whose
 * predictions are scores too unless {@code sparseYPred}.
 *
 * <p>Defaults: {@code name="one_hot_io_u"} (Keras's automatic name of the class), {@code ignoreClass=null},
 * {@code sparseYPred=false}, {@code axis=-1}. No string id: construct it.
 *
 * <p>Example (Keras 3's docstring, checked in {@code IoUMetricsTest}):
 *
 * <pre>{@code
 * OneHotIoU m = new OneHotIoU(3, new int[] {0, 2});
 * // y_true = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
 * // y_pred = [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]],
 * // sample weights [0.1, 0.2, 0.3, 0.4]: (0 / 0.9 + 0.1 / 0.7) / 2 = 0.071
 * }</pre>
 *
 * <p>See {@link IoU} for the differences from Keras.
 */
public final class OneHotIoU extends IoU {

  /** The IoU of {@code targetClassIds}, named {@code one_hot_io_u}, for one-hot labels and scores. */
  public OneHotIoU(int numClasses, int[] targetClassIds) {
    this("one_hot_io_u", numClasses, targetClassIds, null, false, -1);
  }

  /**
   * A one-hot IoU.
   *
   * @param name the name in logs
   * @param numClasses the number of classes (the size of {@code axis}), at least 1
   * @param targetClassIds the classes whose IoUs are averaged, each in {@code [0, numClasses)}
   * @param ignoreClass a label left out of the counts, or null to count every class
   * @param sparseYPred whether predictions are class indices (true) or scores (false)
   * @param axis the axis of the classes
   */
  public OneHotIoU(String name, int numClasses, int[] targetClassIds, Integer ignoreClass, boolean sparseYPred,
      int axis) {
    super(name, numClasses, targetClassIds, ignoreClass, false, sparseYPred, axis);
  }

  /**
   * A one-hot IoU from its saved config (Keras's keys: {@code name}, {@code num_classes}, {@code target_class_ids},
   * {@code ignore_class}, {@code sparse_y_pred}, {@code axis}).
   */
  public static OneHotIoU fromConfig(Map<String, Object> config) {
    Config c = new Config(config, "OneHotIoU", null);
    return new OneHotIoU(c.getString("name", "one_hot_io_u"), c.getInt("num_classes"), c.getInts("target_class_ids"),
        ignoreClass(c), c.getBoolean("sparse_y_pred", false), c.getInt("axis", -1));
  }

  @Override
  public OneHotIoU withName(String newName) {
    return new OneHotIoU(newName, numClasses(), targetClassIds(), ignoreClass(), sparseYPred(), axis());
  }

  /** As {@link IoU#getConfig()} less {@code sparse_y_true} (always false), as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = super.getConfig();
    config.remove("sparse_y_true");
    return config;
  }
}
