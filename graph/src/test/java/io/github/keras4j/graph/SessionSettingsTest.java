package io.github.keras4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.types.TFloat32;

class SessionSettingsTest {

  @AfterEach
  void reset() {
    SessionSettings.setDevice("auto");
    SessionSettings.setXlaJit(false);
    SessionSettings.setGrappler(true);
  }

  @Test
  void theConfigHidesGpusForCpuAndSetsTheJitLevel() {
    assertEquals(0, SessionSettings.config().getDeviceCountCount());
    SessionSettings.setDevice("cpu");
    SessionSettings.setXlaJit(true);
    assertEquals(0, SessionSettings.config().getDeviceCountOrThrow("GPU"));
    assertEquals(OptimizerOptions.GlobalJitLevel.ON_1,
        SessionSettings.config().getGraphOptions().getOptimizerOptions().getGlobalJitLevel());
    assertThrows(IllegalArgumentException.class, () -> SessionSettings.setDevice("tpu"));
  }

  @Test
  void grapplerIsOnByDefaultAndOffDisablesTheMetaOptimizerAlongsideTheJitLevel() {
    assertTrue(SessionSettings.grappler());
    assertFalse(SessionSettings.config().getGraphOptions().getRewriteOptions().getDisableMetaOptimizer());
    SessionSettings.setGrappler(false);
    assertFalse(SessionSettings.grappler());
    assertTrue(SessionSettings.config().getGraphOptions().getRewriteOptions().getDisableMetaOptimizer());
    // The JIT level and the rewrite options share graph_options: setting one keeps the other.
    SessionSettings.setXlaJit(true);
    assertTrue(SessionSettings.config().getGraphOptions().getRewriteOptions().getDisableMetaOptimizer());
    assertEquals(OptimizerOptions.GlobalJitLevel.ON_1,
        SessionSettings.config().getGraphOptions().getOptimizerOptions().getGlobalJitLevel());
    SessionSettings.setGrappler(true);
    assertFalse(SessionSettings.config().getGraphOptions().getRewriteOptions().getDisableMetaOptimizer());
    assertEquals(OptimizerOptions.GlobalJitLevel.ON_1,
        SessionSettings.config().getGraphOptions().getOptimizerOptions().getGlobalJitLevel());
  }

  @Test
  void aSessionWithoutGrapplerComputesAsUsual() {
    SessionSettings.setGrappler(false);
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      // (2 + 3) * 4 = 20, by hand; with Grappler on, constant folding would compute it before the run.
      Operand<TFloat32> y = tf.math.mul(tf.math.add(tf.constant(2f), tf.constant(3f)), tf.constant(4f));
      try (Result r = rt.session().runner().fetch(y).run()) {
        assertEquals(20f, ((TFloat32) r.get(0)).getFloat());
      }
    }
  }

  @Test
  void aSessionWithTheseSettingsComputesAsUsualAndTheCpuBuildHasNoGpu() {
    SessionSettings.setDevice("cpu");
    SessionSettings.setXlaJit(true);
    try (GraphRuntime rt = new GraphRuntime()) {
      Ops tf = rt.tf();
      // [[1, 2]] x [[3], [4]] = 11, by hand.
      Operand<TFloat32> y = tf.linalg.matMul(tf.constant(new float[][] {{1, 2}}), tf.constant(new float[][] {{3}, {4}}));
      try (Result r = rt.session().runner().fetch(y).run()) {
        assertEquals(11f, ((TFloat32) r.get(0)).getFloat(0, 0));
      }
    }
    // This build ships TensorFlow's CPU natives (the gpu profile swaps them).
    assertFalse(SessionSettings.gpuAvailable());
  }
}
