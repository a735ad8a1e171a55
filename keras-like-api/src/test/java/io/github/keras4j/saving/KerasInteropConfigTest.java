package io.github.keras4j.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Input;
import io.github.keras4j.layers.KerasTensor;
import io.github.keras4j.layers.attention.MultiHeadAttention;
import io.github.keras4j.layers.core.Dense;
import io.github.keras4j.layers.merging.Add;
import io.github.keras4j.models.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What Python Keras 3 needs to load a Keras4J config and what Keras 3 writes that Keras4J must read. The expected
 * forms are those of config.json files written by Keras 3.15.1 (keras/src/saving/serialization_lib.py): objects carry
 * a {@code module}; a call of MultiHeadAttention lists its inputs as separate arguments, one of Add as one list; a
 * model with one input names it as one reference, {@code "input_layers": ["input_layer", 0, 0]}.
 */
class KerasInteropConfigTest {

  @AfterEach
  void clear() {
    Backend.clearSession();
  }

  private static Model attentionModel() {
    KerasTensor x = Input.of("x", 4, 8);
    KerasTensor a = new MultiHeadAttention(2, 4).apply(List.of(x, x));
    KerasTensor s = new Add("add").apply(List.of(x, a));
    return new Model(List.of(x), List.of(Dense.builder(1).name("out").build().apply(s)), "m");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> layer(Map<String, Object> config, String className) {
    for (Object l : (List<Object>) ((Map<String, Object>) config.get("config")).get("layers")) {
      if (((Map<String, Object>) l).get("class_name").equals(className)) {
        return (Map<String, Object>) l;
      }
    }
    throw new AssertionError(className);
  }

  @Test
  @SuppressWarnings("unchecked")
  void callsListTheirInputsAsKerasDoes() {
    try (Model m = attentionModel()) {
      Map<String, Object> config = ModelConfig.serialize(m);
      List<Object> mhaArgs = (List<Object>) ((Map<String, Object>) ((List<Object>) layer(config,
          "MultiHeadAttention").get("inbound_nodes")).get(0)).get("args");
      assertEquals(2, mhaArgs.size());
      assertTrue(mhaArgs.get(0) instanceof Map<?, ?>, "query as its own argument: " + mhaArgs);
      List<Object> addArgs = (List<Object>) ((Map<String, Object>) ((List<Object>) layer(config, "Add")
          .get("inbound_nodes")).get(0)).get("args");
      assertEquals(1, addArgs.size());
      assertEquals(2, ((List<Object>) addArgs.get(0)).size());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void modulesAreAddedWhereKerasWritesThem() {
    try (Model m = attentionModel()) {
      Map<String, Object> config = ModelConfig.serialize(m);
      Map<String, Object> compile = new LinkedHashMap<>();
      compile.put("optimizer", new LinkedHashMap<>(Map.of("class_name", "Adam", "config", Map.of())));
      compile.put("loss", new LinkedHashMap<>(Map.of("class_name", "MeanSquaredError", "config", Map.of())));
      config.put("compile_config", compile);
      KerasModules.annotate(config);
      assertEquals("keras.src.models.functional", config.get("module"));
      assertEquals("Functional", config.get("registered_name"));
      Map<String, Object> dense = layer(config, "Dense");
      assertEquals("keras.layers", dense.get("module"));
      assertEquals("keras.initializers",
          ((Map<String, Object>) ((Map<String, Object>) dense.get("config")).get("kernel_initializer")).get("module"));
      assertEquals("keras.optimizers", ((Map<String, Object>) compile.get("optimizer")).get("module"));
      assertEquals("keras.losses", ((Map<String, Object>) compile.get("loss")).get("module"));
      // Keras's own tensor references stay as they are.
      assertTrue(!Json.write(config).contains("\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 4, "
          + "8], \"dtype\": \"float32\", \"keras_history\": [\"x\", 0, 0]}, \"module\""));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void oneInputNamedAsOneReferenceLoads() {
    Map<String, Object> config;
    try (Model m = attentionModel()) {
      config = (Map<String, Object>) Json.parse(Json.write(ModelConfig.serialize(m)), "test");
    }
    Map<String, Object> inner = (Map<String, Object>) config.get("config");
    assertEquals("[[x, 0, 0]]", String.valueOf(inner.get("input_layers")));
    inner.put("input_layers", List.of("x", 0, 0));
    inner.put("output_layers", List.of("out", 0, 0));
    Backend.clearSession();
    try (Model loaded = ModelConfig.deserialize(config, new CustomObjects())) {
      assertEquals(1, loaded.inputs().size());
      assertEquals("out", loaded.outputs().get(0).layer().name());
    }
  }
}
