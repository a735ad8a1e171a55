package io.github.keras4j.graph.distributed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Checks whether the tasks of a cluster are up, from outside TensorFlow: can a TCP connection be opened to the
 * task's port, and does what listens there answer the HTTP/2 handshake gRPC starts with?
 *
 * <p>The second check tells a stopped or hung task from a live one: the kernel accepts connections to the port of
 * a process that is stopped ({@code SIGSTOP}) or frozen, but only a running gRPC server answers the client
 * preface with its own {@code SETTINGS} frame. Each probe opens and closes one connection; nothing is sent to
 * TensorFlow itself.
 */
public final class TaskProbe {

  /** What a probe found about a task. */
  public enum State {
    /** The port accepts connections and a gRPC server answers on it. */
    RESPONDING,
    /** The port accepts connections but nothing answers the handshake in time: stopped, hung or overloaded. */
    NOT_RESPONDING,
    /** No connection could be opened: the process is gone or the host is unreachable. */
    NOT_REACHABLE
  }

  /** The HTTP/2 client connection preface followed by an empty SETTINGS frame (RFC 9113, section 3.4). */
  private static final byte[] PREFACE;

  static {
    byte[] magic = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    PREFACE = new byte[magic.length + settings.length];
    System.arraycopy(magic, 0, PREFACE, 0, magic.length);
    System.arraycopy(settings, 0, PREFACE, magic.length, settings.length);
  }

  private TaskProbe() {}

  /**
   * Probes one {@code host:port}, waiting at most {@code timeout} to connect and as long again for an answer.
   */
  public static State probe(String address, Duration timeout) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(address.substring(colon + 1));
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress(host, port), millis);
      } catch (IOException e) {
        return State.NOT_REACHABLE;
      }
      try {
        socket.setSoTimeout(millis);
        OutputStream out = socket.getOutputStream();
        out.write(PREFACE);
        out.flush();
        InputStream in = socket.getInputStream();
        // The server's preface is a SETTINGS frame: a 9-byte frame header whose type (byte 3) is 4.
        byte[] header = in.readNBytes(9);
        return header.length == 9 && header[3] == 4 ? State.RESPONDING : State.NOT_RESPONDING;
      } catch (SocketTimeoutException e) {
        return State.NOT_RESPONDING;
      } catch (IOException e) {
        // Reset while talking: something is wrong with the task, though its port was open.
        return State.NOT_RESPONDING;
      }
    } catch (IOException e) {
      return State.NOT_REACHABLE;
    }
  }

  /**
   * Probes every task of a cluster in parallel.
   *
   * @return device name ({@code /job:worker/task:1}) to state, in the cluster's order
   */
  public static Map<String, State> probeAll(ClusterSpec cluster, Duration timeout) {
    List<String> devices = new ArrayList<>();
    List<CompletableFuture<State>> probes = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "task-probe");
      thread.setDaemon(true);
      return thread;
    });
    try {
      for (String job : cluster.jobs()) {
        for (int i = 0; i < cluster.numTasks(job); i++) {
          String address = cluster.address(job, i);
          devices.add(cluster.device(job, i));
          probes.add(CompletableFuture.supplyAsync(() -> probe(address, timeout), pool));
        }
      }
      Map<String, State> states = new LinkedHashMap<>();
      for (int i = 0; i < devices.size(); i++) {
        states.put(devices.get(i), probes.get(i).join());
      }
      return states;
    } finally {
      pool.shutdown();
    }
  }
}
