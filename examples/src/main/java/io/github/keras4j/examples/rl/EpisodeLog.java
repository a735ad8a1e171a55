package io.github.keras4j.examples.rl;

import io.github.keras4j.examples.plot.Plots;
import io.github.keras4j.graph.summary.EventFileWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record of a reinforcement-learning run: each episode's return (and any other per-episode values) written as
 * TensorBoard scalars into the run folder (step = episode number), a progress line every {@code printEvery}
 * episodes, and the return curve drawn as {@code returns.png}.
 *
 * <pre>{@code
 * try (EpisodeLog log = new EpisodeLog("dqn", runDir, 10, 100, 500)) {
 *   log.episode(episodeReturn, Map.of("epsilon", epsilon));   // scalars episode_return, mean_return_last100, epsilon
 *   log.plot("DQN on CartPole-v1");
 * }
 * }</pre>
 */
public final class EpisodeLog implements AutoCloseable {

  private final String name;
  private final Path runDir;
  private final int printEvery;
  private final int window;
  private final int totalEpisodes;
  private final EventFileWriter writer;
  private final List<Double> returns = new ArrayList<>();
  private final long start = System.nanoTime();

  /**
   * Opens the event file in {@code runDir}.
   *
   * @param name the example's name, printed in the progress lines
   * @param printEvery episodes between progress lines
   * @param window the number of recent episodes averaged ({@code mean_return_last<window>})
   * @param totalEpisodes the planned number of episodes, for the progress lines
   */
  public EpisodeLog(String name, Path runDir, int printEvery, int window, int totalEpisodes) {
    this.name = name;
    this.runDir = runDir;
    this.printEvery = Math.max(1, printEvery);
    this.window = window;
    this.totalEpisodes = totalEpisodes;
    this.writer = new EventFileWriter(runDir);
  }

  /** The key of the moving average: {@code mean_return_last100} for a window of 100. */
  public String meanKey() {
    return "mean_return_last" + window;
  }

  /**
   * Records one finished episode: writes {@code episode_return}, the moving average and {@code extras} as
   * scalars at step = episode number (1-based), and prints a progress line every {@code printEvery} episodes. The
   * extras follow in the order of their keys, so the line reads the same in every run whatever map is given.
   */
  public void episode(double episodeReturn, Map<String, Double> extras) {
    returns.add(episodeReturn);
    int episode = returns.size();
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("episode_return", episodeReturn);
    values.put(meanKey(), meanLast(window));
    values.putAll(new TreeMap<>(extras));
    values.forEach((k, v) -> writer.scalar(k, v, episode));
    writer.flush();
    if (episode % printEvery == 0 || episode == totalEpisodes) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s episode %d/%d", name, episode, totalEpisodes));
      values.forEach((k, v) -> line.append(String.format(Locale.ROOT, " - %s: %.4g", k, v)));
      line.append(String.format(Locale.ROOT, " - %.1fs", (System.nanoTime() - start) / 1e9));
      System.out.println(line);
    }
  }

  /** Writes a scalar that is not per-episode data (an evaluation), at step = {@code episode}. */
  public void scalar(String tag, double value, int episode) {
    writer.scalar(tag, value, episode);
    writer.flush();
  }

  /** The mean return of the last {@code n} episodes (of all of them when fewer); NaN before the first. */
  public double meanLast(int n) {
    int from = Math.max(0, returns.size() - n);
    double s = 0;
    for (int i = from; i < returns.size(); i++) {
      s += returns.get(i);
    }
    return returns.size() == from ? Double.NaN : s / (returns.size() - from);
  }

  /** The number of episodes recorded. */
  public int episodes() {
    return returns.size();
  }

  /** The returns so far, in order. */
  public double[] returns() {
    return returns.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Draws the returns and their moving average as {@code returns.png} in the run folder; returns the file. */
  public Path plot(String title) {
    double[] r = returns();
    double[] x = new double[r.length];
    double[] avg = new double[r.length];
    double sum = 0;
    for (int i = 0; i < r.length; i++) {
      x[i] = i + 1;
      sum += r[i];
      if (i >= window) {
        sum -= r[i - window];
      }
      avg[i] = sum / Math.min(i + 1, window);
    }
    return Plots.line(runDir.resolve("returns.png"), title, "episode", "return",
        List.of(Plots.Series.line("episode return", x, r), Plots.Series.line(meanKey(), x, avg)));
  }

  /** The run folder. */
  public Path runDir() {
    return runDir;
  }

  /** Closes the event file. */
  @Override
  public void close() {
    writer.close();
  }
}
