package io.github.keras4j.distribution;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.SessionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * The process-wide distribution and the devices there are (Keras 3's {@code keras.distribution.set_distribution},
 * {@code distribution()} and {@code list_devices}).
 */
public final class Distributions {

  private static volatile Distribution current;

  private Distributions() {}

  /**
   * Sets the distribution that {@code Model.compile} uses when its options name none (Keras's
   * {@code set_distribution}); null for none. Set it before building the model, so its variables are created on
   * the variable device.
   */
  public static void set(Distribution distribution) {
    current = distribution;
  }

  /** The process-wide distribution, or null (Keras's {@code keras.distribution.distribution()}). */
  public static Distribution get() {
    return current;
  }

  /**
   * The devices of this process of the given type, as Keras names them ({@code "cpu:0"}, {@code "gpu:0"}), in
   * TensorFlow's order; {@code null} for all types. Lists the devices of an in-process session with the
   * current {@link SessionSettings}.
   */
  public static List<String> listDevices(String type) {
    return listDevices(type, 1);
  }

  /**
   * As {@link #listDevices(String)}, for a session with {@code cpuDevices} CPU devices
   * ({@code device_count {"CPU": n}}).
   */
  public static List<String> listDevices(String type, int cpuDevices) {
    List<String> out = new ArrayList<>();
    try (Graph g = new Graph(); Session s = new Session(g, SessionSettings.config(cpuDevices))) {
      for (String full : GraphRuntime.Devices.list(s)) {
        String c = GraphRuntime.Devices.canonical(full);
        String tail = c.substring(c.indexOf("/device:") + "/device:".length()).toLowerCase(Locale.ROOT);
        if (type == null || tail.startsWith(type.toLowerCase(Locale.ROOT) + ":")) {
          out.add(tail);
        }
      }
    }
    return out;
  }
}
