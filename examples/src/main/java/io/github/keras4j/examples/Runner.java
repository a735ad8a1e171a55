package io.github.keras4j.examples;

import io.github.keras4j.examples.basics.Genz;
import io.github.keras4j.examples.basics.GradientDescent;
import io.github.keras4j.examples.basics.MlpLogic;
import io.github.keras4j.examples.basics.Perceptron;
import io.github.keras4j.examples.basics.TfTour;
import io.github.keras4j.examples.deqn.DeqnAnalytic;
import io.github.keras4j.examples.deqn.DeqnOlg;
import io.github.keras4j.examples.mnist.Gan;
import io.github.keras4j.examples.mnist.GentleDnn;
import io.github.keras4j.examples.mnist.MnistCnn;
import io.github.keras4j.examples.mnist.MnistMlp;
import io.github.keras4j.examples.rl.Ddpg;
import io.github.keras4j.examples.rl.Dqn;
import io.github.keras4j.examples.rl.Reinforce;
import io.github.keras4j.examples.timeseries.OzoneRnn;
import io.github.keras4j.examples.timeseries.Sp500Rnn;
import io.github.keras4j.examples.timeseries.WeatherForecast;
import io.github.keras4j.graph.SessionSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Runs one example by name and prints its {@link Result} as the last line of output.
 *
 * <pre>
 * java -jar examples/target/keras4j-examples.jar xor
 * java -jar examples/target/keras4j-examples.jar iris --data /path/to/datasets --epochs 50 --export models/iris/1
 * java -jar examples/target/keras4j-examples.jar inspect models/iris/1
 * </pre>
 *
 * <p>Exit codes: 0 on success, 1 when the example failed (the error is printed), 2 for a usage error
 * (no example, an unknown example or a bad option).
 */
public final class Runner {

  /** An example: what it does and how to run it. */
  record Example(String description, Function<ExampleOptions, Result> run) {}

  static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

  /** The examples that take positional arguments ({@code inspect DIR}); the others refuse them. */
  static final Set<String> TAKE_ARGUMENTS = Set.of("inspect");

  static {
    EXAMPLES.put("xor", new Example("2-8-1 MLP learns XOR on its 4 points", Xor::run));
    EXAMPLES.put("iris", new Example("Dense classifier on the Iris data set, held-out accuracy", Iris::run));
    EXAMPLES.put("regression",
        new Example("MLP fits cos(pi x/2) cos(pi y/2) on [-1,1]^2 (the README's example)", Regression::run));
    EXAMPLES.put("bench", new Example("Keras4J vs raw TF Java on mlp, cnn, lstm, deqn: build, first step, train and "
        + "predict throughput, GFLOP/s, Session.run overhead, Grappler (--workload W, --xla)", Bench::run));
    EXAMPLES.put("tensorboard", new Example(
        "regression MLP with EarlyStopping, TensorBoard, ModelCheckpoint and CSVLogger into tensorboard-logs/tensorboard/<timestamp>",
        TensorBoardExample::run));
    EXAMPLES.put("gradient-descent", new Example(
        "course notebook 1: x^3-2x^2+2, cricket-chirps regression by batch GD, SGD on 500,000 points", GradientDescent::run));
    EXAMPLES.put("perceptron", new Example("course's perceptron learning rule on OR and AND", Perceptron::run));
    EXAMPLES.put("mlp-logic", new Example("XOR with the course's 2-2-1 sigmoid MLP (SGD, momentum 0.9)", MlpLogic::run));
    EXAMPLES.put("genz", new Example(
        "MLP approximates the 6 Genz functions in d=2,5,10 from 10-500 samples (72 trainings)", Genz::run));
    EXAMPLES.put("tf-tour", new Example(
        "course's TF tour: regression/classification on synthetic data, R^2, confusion matrix, Lending Club", TfTour::run));
    EXAMPLES.put("inspect", new Example("inspect DIR: a SavedModel's signatures, like saved_model_cli show --all",
        Inspect::run));
    EXAMPLES.put("soak", new Example("memory soak: the bench MLP for --steps steps (default 20,000), RSS growth",
        Soak::run));
    EXAMPLES.put("rnn-ozone", new Example("course RNN: LSTM(64) forecasts Palmerston North ozone (PNoz.dat), test MSE",
        OzoneRnn::run));
    EXAMPLES.put("rnn-sp500", new Example("course RNN: LSTM(64) forecasts S&P 500 absolute daily returns, test MSE",
        Sp500Rnn::run));
    EXAMPLES.put("weather", new Example("keras.io Jena climate forecast: LSTM(32) over 120 hourly steps, T 12 h ahead",
        WeatherForecast::run));
    EXAMPLES.put("mnist-mlp", new Example("Dense 512-512 MLP on MNIST digits, test accuracy", MnistMlp::run));
    EXAMPLES.put("mnist-cnn", new Example("keras.io MNIST convnet (34,826 params), test accuracy", MnistCnn::run));
    EXAMPLES.put("gan", new Example("keras.io MNIST GAN with a custom train step; share of confidently classified fakes",
        Gan::run));
    EXAMPLES.put("gentle-dnn", new Example(
        "the course's gentle DNN: regression variants, save/load of weights, Fashion-MNIST classifier", GentleDnn::run));
    EXAMPLES.put("dqn", new Example("deep Q-network on CartPole-v1, greedy mean return over 100 episodes", Dqn::run));
    EXAMPLES.put("reinforce",
        new Example("REINFORCE (softmax policy gradient) on CartPole-v1, greedy mean return over 100 episodes", Reinforce::run));
    EXAMPLES.put("ddpg", new Example("keras-io DDPG on Pendulum-v1, mean return of the last 40 of 100 episodes", Ddpg::run));
    EXAMPLES.put("deqn-analytic", new Example(
        "Deep Equilibrium Net, 6-agent OLG model: Euler errors and gap to the closed form", DeqnAnalytic::run));
    EXAMPLES.put("deqn-olg", new Example(
        "Deep Equilibrium Net, 60-generation OLG benchmark: error table (--device gpu: published schedule)",
        DeqnOlg::run));
    EXAMPLES.put("bench-distributed", new Example(
        "examples/s of the bench MLP: one process vs 1 and 2 local workers + 1 ps (TensorFlow's distributed runtime)",
        BenchDistributed::run));
  }

  private Runner() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Parses {@code args}, runs the example and prints its RESULT line; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals(Distributed.NAME)) {
      return Distributed.run(args, out, err);
    }
    return run(args, out, err, UnaryOperator.identity());
  }

  /** As {@link #run(String[], PrintStream, PrintStream)}, with keys added to the RESULT line by {@code extra}. */
  static int run(String[] args, PrintStream out, PrintStream err, UnaryOperator<Result> extra) {
    if (args.length == 0) {
      err.println("No example given.");
      err.print(usage());
      return 2;
    }
    String name = args[0];
    Example example = EXAMPLES.get(name);
    if (example == null) {
      err.println("Unknown example '" + name + "'. Choose one of " + EXAMPLES.keySet() + ".");
      err.print(usage());
      return 2;
    }
    ExampleOptions options;
    try {
      options = parseOptions(args);
      if (!options.arguments().isEmpty() && !TAKE_ARGUMENTS.contains(name)) {
        throw new IllegalArgumentException("Example '" + name + "' takes no positional argument. Received: "
            + options.arguments().get(0));
      }
      options.out(out);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(usage());
      return 2;
    }
    SessionSettings.setDevice(options.device());
    SessionSettings.setXlaJit(options.xla());
    if (options.device().equals("gpu") && !SessionSettings.gpuAvailable()) {
      err.println("--device gpu: TensorFlow sees no GPU. Build with the GPU natives (mvn -Pgpu package) on a machine "
          + "with an NVIDIA GPU and CUDA, or run with --device cpu.");
      return 2;
    }
    Result result;
    try {
      result = example.run().apply(options);
    } catch (RuntimeException e) {
      err.println("Example '" + name + "' failed: " + e.getMessage());
      e.printStackTrace(err);
      return 1;
    }
    out.println(extra.apply(result).line());
    return 0;
  }

  /** The options after the example's name. */
  static ExampleOptions parseOptions(String[] args) {
    ExampleOptions o = new ExampleOptions();
    for (int i = 1; i < args.length; i++) {
      String flag = args[i];
      if (!flag.startsWith("--")) {
        o.argument(flag);
        continue;
      }
      if (flag.equals("--resume")) {
        o.resume(true);
        continue;
      }
      if (flag.equals("--xla")) {
        o.xla(true);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + flag + " needs a value.");
      }
      String value = args[++i];
      switch (flag) {
        case "--epochs" -> o.epochs(integer(flag, value));
        case "--samples" -> o.samples(integer(flag, value));
        case "--steps" -> o.steps(integer(flag, value));
        case "--windows" -> o.windows(integer(flag, value));
        case "--seed" -> o.seed(longValue(flag, value));
        case "--data" -> o.dataDir(Path.of(value));
        case "--logdir" -> o.logDir(Path.of(value));
        case "--episodes" -> o.episodes(integer(flag, value));
        case "--export" -> o.exportDir(Path.of(value));
        case "--device" -> o.device(value);
        case "--workload" -> o.workload(value);
        default -> throw new IllegalArgumentException("Unknown option '" + flag + "'.");
      }
    }
    return o;
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Option " + flag + " expects an integer. Received: " + value, e);
    }
  }

  private static long longValue(String flag, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Option " + flag + " expects an integer. Received: " + value, e);
    }
  }

  /** The usage text with the list of examples. */
  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: java -jar keras4j-examples.jar <example> [--epochs N] [--seed S] [--data DIR] [--logdir DIR]\n");
    b.append("                                                [--samples N] [--steps N] [--windows N]\n");
    b.append("                                                [--episodes N] [--export DIR] [--device cpu|gpu]\n");
    b.append("                                                [--workload W] [--resume] [--xla]\n");
    b.append("       java -jar keras4j-examples.jar inspect DIR\n");
    b.append("       java -jar keras4j-examples.jar distributed [--workers N] [--ps M] <example> [options]\n");
    b.append("Examples:\n");
    EXAMPLES.forEach((n, e) -> b.append(String.format("  %-18s %s%n", n, e.description())));
    b.append("Options:\n");
    b.append("  --epochs N    training epochs (each example has its own default)\n");
    b.append("  --seed S      random seed (default ").append(ExampleOptions.DEFAULT_SEED).append(")\n");
    b.append("  --data DIR    folder with the data sets, e.g. DIR/iris/iris.data (default: ~/.keras4j/datasets,"
        + " downloaded when missing)\n");
    b.append("  --logdir DIR  folder for TensorBoard logs\n");
    b.append("  --samples N   samples of generated data sets (regression, gradient-descent, tf-tour), images per epoch (gan)\n");
    b.append("  --steps N     timed steps per window (bench), steps (soak), iteration cap (gradient-descent)\n");
    b.append("  --windows N   timed windows (bench)\n");
    b.append("  --episodes N  episodes (reinforcement learning, DEQN)\n");
    b.append("  --export DIR  write the trained model there as a SavedModel\n");
    b.append("  --device D    cpu (default) or gpu (needs the GPU build)\n");
    b.append("  --workload W  bench: mlp, cnn, lstm, deqn or all (default); gan: network size (small, keras-io)\n");
    b.append("  --resume      continue from the run's last checkpoint\n");
    b.append("  --xla         XLA JIT for the example's sessions (on the CPU also set\n");
    b.append("                TF_XLA_FLAGS=--tf_xla_cpu_global_jit)\n");
    return b.toString();
  }
}
