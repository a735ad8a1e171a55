package io.github.keras4j.graph.distributed;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetTarget;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens a {@link Session} on a TensorFlow server ({@code grpc://host:port}) rather than in this process.
 *
 * <p>TF Java 1.1.0 has {@link org.tensorflow.Server} but no public way to give a session a target: its public
 * constructors always create an in-process session. TensorFlow's C API has the target
 * ({@code TF_SetTarget}); this class calls it and wraps the native session in TF Java's own {@link Session}
 * class (through its package-private constructor), so everything else (runners, {@code Result}, closing) is
 * TF Java's. A session on a master runs the graph on the devices the ops name ({@code /job:ps/task:0},
 * {@code /job:worker/task:1}) across the whole cluster.
 */
public final class RemoteSession {

  private RemoteSession() {}

  /**
   * A session of {@code graph} on the master at {@code target}.
   *
   * @param target {@code grpc://host:port} of any task of the cluster (it becomes the master of this session)
   * @param config session options, as for {@code new Session(graph, config)}
   * @throws IllegalArgumentException if the target is not a {@code grpc://} address
   */
  public static Session open(Graph graph, String target, ConfigProto config) {
    if (target == null || !target.startsWith("grpc://")) {
      throw new IllegalArgumentException("A remote session target must look like grpc://host:port. Received: "
          + target);
    }
    TF_Graph handle = nativeGraph(graph);
    TF_SessionOptions options = TF_NewSessionOptions();
    try (TF_Status status = TF_Status.newStatus()) {
      TF_SetTarget(options, target);
      byte[] bytes = config.toByteArray();
      try (BytePointer proto = new BytePointer(bytes)) {
        TF_SetConfig(options, proto, bytes.length, status);
        status.throwExceptionIfNotOK();
      }
      TF_Session session = TF_NewSession(handle, options, status);
      status.throwExceptionIfNotOK();
      return wrap(graph, session);
    } finally {
      TF_DeleteSessionOptions(options);
    }
  }

  private static TF_Graph nativeGraph(Graph graph) {
    try {
      Field field = Graph.class.getDeclaredField("nativeHandle");
      field.setAccessible(true);
      TF_Graph handle = (TF_Graph) field.get(graph);
      if (handle == null || handle.isNull()) {
        throw new IllegalStateException("The graph is closed");
      }
      return handle;
    } catch (NoSuchFieldException | IllegalAccessException e) {
      throw new IllegalStateException("This TF Java version does not expose Graph.nativeHandle as 1.1.0 does; "
          + "remote sessions need it", e);
    }
  }

  private static Session wrap(Graph graph, TF_Session session) {
    try {
      Constructor<Session> constructor = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      constructor.setAccessible(true);
      return constructor.newInstance(graph, session);
    } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
      throw new IllegalStateException("This TF Java version has no Session(Graph, TF_Session) constructor as "
          + "1.1.0 does; remote sessions need it", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("Could not wrap the remote session", e.getCause());
    }
  }
}
