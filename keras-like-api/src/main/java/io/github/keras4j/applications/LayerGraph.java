package io.github.keras4j.applications;

import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An architecture's symbolic layer graph before it becomes a {@link Model} (package-private): the model's inputs, its
 * output, its name and the weights file to load. Building the model creates the graph variables; the layer graph
 * alone is cheap, which lets tests inspect the deepest architectures' layers without building them.
 *
 * @param inputs the model's inputs
 * @param output the model's output
 * @param name the model's name
 * @param weights the Keras4J weights file to load, or null
 */
record LayerGraph(List<KerasTensor> inputs, KerasTensor output, String name, String weights) {

  /** The model, with the weights file loaded if one was given. */
  Model toModel() {
    Model model = new Model(inputs, List.of(output), name);
    if (weights != null) {
      try {
        model.loadWeights(Path.of(weights));
      } catch (IOException e) {
        model.close();
        throw new UncheckedIOException("Could not load the weights of model '" + name + "' from " + weights, e);
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    }
    return model;
  }
}
