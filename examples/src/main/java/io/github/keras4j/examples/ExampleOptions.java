package io.github.keras4j.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings every example accepts; unset values mean "the example's default".
 *
 * <p>On the command line: {@code --epochs N --seed S --data DIR --logdir DIR --samples N --steps N --windows N
 * --episodes N --export DIR --device cpu|gpu --workload W --resume --xla}.
 * A test gives tiny settings instead:
 *
 * <pre>{@code
 * Result r = Regression.run(new ExampleOptions().epochs(1).samples(500));
 * }</pre>
 */
public final class ExampleOptions {

  /** The seed used when none is given, as in the Keras examples. */
  public static final long DEFAULT_SEED = 42;

  private Integer epochs;
  private long seed = DEFAULT_SEED;
  private Path dataDir;
  private Path logDir;
  private Integer samples;
  private Integer steps;
  private Integer windows;
  private Integer episodes;
  private Path exportDir;
  private String device = "cpu";
  private String workload;
  private boolean resume;
  private boolean xla;
  private final List<String> arguments = new ArrayList<>();
  private PrintStream out = System.out;

  /** Training epochs. */
  public ExampleOptions epochs(int epochs) {
    this.epochs = positive("epochs", epochs);
    return this;
  }

  /** The seed given to {@code Backend.setRandomSeed} and to the data generators; default 42. */
  public ExampleOptions seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** A folder holding the data sets ({@code DIR/iris/iris.data}); default: the download cache. */
  public ExampleOptions dataDir(Path dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /** A folder for TensorBoard logs. */
  public ExampleOptions logDir(Path logDir) {
    this.logDir = logDir;
    return this;
  }

  /** Number of training samples of the examples that generate their data. */
  public ExampleOptions samples(int samples) {
    this.samples = positive("samples", samples);
    return this;
  }

  /** Steps per timed window (bench). */
  public ExampleOptions steps(int steps) {
    this.steps = positive("steps", steps);
    return this;
  }

  /** Number of timed windows (bench). */
  public ExampleOptions windows(int windows) {
    this.windows = positive("windows", windows);
    return this;
  }

  /** Episodes (reinforcement learning, DEQN). */
  public ExampleOptions episodes(int episodes) {
    this.episodes = positive("episodes", episodes);
    return this;
  }

  /** A folder to export the trained model to (a SavedModel). */
  public ExampleOptions exportDir(Path exportDir) {
    this.exportDir = exportDir;
    return this;
  }

  /** The device to run on: {@code cpu} (default) or {@code gpu} (needs the GPU build of TensorFlow). */
  public ExampleOptions device(String device) {
    if (!device.equals("cpu") && !device.equals("gpu")) {
      throw new IllegalArgumentException("device must be 'cpu' or 'gpu'. Received: device=" + device);
    }
    this.device = device;
    return this;
  }

  /** The workload of a benchmark (e.g. {@code mlp}, {@code cnn}). */
  public ExampleOptions workload(String workload) {
    this.workload = workload;
    return this;
  }

  /** Resume from the run's last checkpoint instead of starting afresh. */
  public ExampleOptions resume(boolean resume) {
    this.resume = resume;
    return this;
  }

  /** Turns XLA's JIT on for the sessions the example creates (TensorFlow's global JIT level ON_1). */
  public ExampleOptions xla(boolean xla) {
    this.xla = xla;
    return this;
  }

  /** Adds a positional argument (a word without {@code --}, such as the folder of {@code inspect DIR}). */
  public ExampleOptions argument(String argument) {
    arguments.add(argument);
    return this;
  }

  /** Where the example prints its report ({@code inspect}); the Runner's output, {@code System.out} by default. */
  public ExampleOptions out(PrintStream out) {
    this.out = out;
    return this;
  }

  /** The positional arguments, in order. */
  public List<String> arguments() {
    return List.copyOf(arguments);
  }

  /** The stream for the example's report. */
  public PrintStream out() {
    return out;
  }

  /** The epochs given, or {@code defaultValue}. */
  public int epochsOr(int defaultValue) {
    return epochs != null ? epochs : defaultValue;
  }

  /** The samples given, or {@code defaultValue}. */
  public int samplesOr(int defaultValue) {
    return samples != null ? samples : defaultValue;
  }

  /** The steps given, or {@code defaultValue}. */
  public int stepsOr(int defaultValue) {
    return steps != null ? steps : defaultValue;
  }

  /** The windows given, or {@code defaultValue}. */
  public int windowsOr(int defaultValue) {
    return windows != null ? windows : defaultValue;
  }

  /** The episodes given, or {@code defaultValue}. */
  public int episodesOr(int defaultValue) {
    return episodes != null ? episodes : defaultValue;
  }

  /** The export folder, or null. */
  public Path exportDir() {
    return exportDir;
  }

  /** The device, {@code cpu} unless set. */
  public String device() {
    return device;
  }

  /** The workload given, or {@code defaultValue}. */
  public String workloadOr(String defaultValue) {
    return workload != null ? workload : defaultValue;
  }

  /** Whether to resume from the last checkpoint. */
  public boolean resume() {
    return resume;
  }

  /** Whether XLA's JIT is asked for. */
  public boolean xla() {
    return xla;
  }

  /**
   * The folder for this run's logs, plots and checkpoints: {@code --logdir DIR} when given, else
   * {@code tensorboard-logs/<example>/<yyyyMMdd-HHmmss>/} under the working directory. Not created here.
   */
  public Path runDir(String example) {
    if (logDir != null) {
      return logDir;
    }
    return Path.of("tensorboard-logs", example, LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The data folder, or null for the default cache. */
  public Path dataDir() {
    return dataDir;
  }

  /** The log folder, or null. */
  public Path logDir() {
    return logDir;
  }

  private static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be a positive integer. Received: " + name + "=" + value);
    }
    return value;
  }
}
