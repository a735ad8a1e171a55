package io.github.keras4j.examples.deqn;

import io.github.keras4j.graph.savedmodel.AtomicFile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A DEQN checkpoint folder: {@value #WEIGHTS} (the network's weights, Adam's slots and step counter, written by
 * {@code Model.saveWeights}) and {@value #SIMULATION}, the state of the simulation:
 * <pre>
 * magic "DEQNSIM1", model name (UTF), state size, paths, episode, optimizer steps (long),
 * paths x state size floats (each path's current state),
 * episode count, then per episode: loss, mean |e|, max |e|, learning rate (doubles)
 * </pre>
 * Both files are written to a temporary file and moved into place, weights first; loading checks that the
 * optimizer's restored step counter matches the one recorded with the simulation, so two files from different
 * moments are refused.
 */
final class DeqnCheckpoint {

  static final String WEIGHTS = "model.weights.bin";
  static final String SIMULATION = "simulation.bin";
  private static final String MAGIC = "DEQNSIM1";

  private DeqnCheckpoint() {}

  /** Writes the trainer's checkpoint into {@code dir} (created if needed). */
  static void save(DeqnTrainer trainer, Path dir) throws IOException {
    Files.createDirectories(dir);
    trainer.network().saveWeights(dir.resolve(WEIGHTS));
    AtomicFile.write(dir.resolve(SIMULATION), tmp -> {
      try (OutputStream file = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
        out.writeBytes(MAGIC);
        out.writeUTF(trainer.model().name());
        out.writeInt(trainer.model().stateSize());
        float[] paths = trainer.paths();
        out.writeInt(paths.length / trainer.model().stateSize());
        out.writeInt(trainer.episode());
        out.writeLong(trainer.optimizer().iterations());
        for (float v : paths) {
          out.writeFloat(v);
        }
        List<DeqnTrainer.EpisodeLog> log = trainer.log();
        out.writeInt(log.size());
        for (DeqnTrainer.EpisodeLog e : log) {
          out.writeDouble(e.loss());
          out.writeDouble(e.meanAbsEuler());
          out.writeDouble(e.maxAbsEuler());
          out.writeDouble(e.learningRate());
        }
      }
    });
  }

  /** Whether {@code dir} holds a checkpoint. */
  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(WEIGHTS)) && Files.isRegularFile(dir.resolve(SIMULATION));
  }

  /** Loads the checkpoint in {@code dir} into the trainer. */
  static void load(DeqnTrainer trainer, Path dir) throws IOException {
    if (!exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no DEQN checkpoint (" + WEIGHTS + " and " + SIMULATION
          + ") to resume from; run without --resume first, or give the run's folder with --logdir");
    }
    OlgModel model = trainer.model();
    Path file = dir.resolve(SIMULATION);
    int episode;
    long steps;
    float[] paths;
    List<DeqnTrainer.EpisodeLog> log = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      byte[] magic = new byte[MAGIC.length()];
      in.readFully(magic);
      if (!MAGIC.equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
        throw new IOException(file + " is not a DEQN simulation checkpoint (bad magic)");
      }
      String name = in.readUTF();
      int stateSize = in.readInt();
      if (!name.equals(model.name()) || stateSize != model.stateSize()) {
        throw new IllegalArgumentException("DEQN checkpoint " + file + " is for the " + name + " model (state size "
            + stateSize + "), not for the " + model.name() + " model (" + model.stateSize() + ")");
      }
      int pathCount = in.readInt();
      episode = in.readInt();
      steps = in.readLong();
      paths = new float[Math.multiplyExact(pathCount, stateSize)];
      for (int i = 0; i < paths.length; i++) {
        paths[i] = in.readFloat();
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        log.add(new DeqnTrainer.EpisodeLog(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
      }
    } catch (java.io.EOFException e) {
      throw new IOException(file + " is truncated; delete the checkpoint folder and train afresh", e);
    }
    trainer.network().loadWeights(dir.resolve(WEIGHTS));
    if (trainer.optimizer().iterations() != steps) {
      throw new IOException("DEQN checkpoint in " + dir + " is inconsistent: the weights file holds optimizer step "
          + trainer.optimizer().iterations() + ", the simulation file step " + steps + " (a save was interrupted?)");
    }
    trainer.restore(episode, paths, log);
  }
}
