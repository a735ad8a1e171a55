package io.github.keras4j.optimizers;

import static io.github.keras4j.optimizers.KerasReference.GRADIENTS;
import static io.github.keras4j.optimizers.KerasReference.INITIAL;
import static io.github.keras4j.optimizers.KerasReference.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * The base optimizer's weight decay and exclude_from_weight_decay (keras/src/optimizers/base_optimizer.py
 * {@code _apply_weight_decay} and {@code _use_weight_decay}), on SGD, whose step is plain {@code -lr * g}: with
 * weight decay each step is {@code w = w - w * wd * lr - lr * g} ({@link KerasReference#sgd}).
 */
class WeightDecayTest {

  private static final String[] NAMES = {"dense/kernel", "dense/bias", "output_layer/kernel"};

  /** Three variables: the formula test's values for each. */
  private static final float[][] THREE_INITIAL = {INITIAL, INITIAL, INITIAL};

  /** The formula test's gradients for each of the three variables. */
  private static float[][][] threeGradients() {
    float[][][] out = new float[GRADIENTS.length][][];
    for (int k = 0; k < out.length; k++) {
      out[k] = new float[][] {GRADIENTS[k], GRADIENTS[k], GRADIENTS[k]};
    }
    return out;
  }

  /** Variable {@code i}'s values after each step. */
  private static float[][] variable(float[][][] run, int i) {
    float[][] out = new float[run.length][];
    for (int k = 0; k < run.length; k++) {
      out[k] = run[k][i];
    }
    return out;
  }

  @Test
  void offByDefault() {
    SGD sgd = new SGD(0.1f);
    assertNull(sgd.getWeightDecay());
    assertTrue(sgd.getConfig().containsKey("weight_decay"));
    assertNull(sgd.getConfig().get("weight_decay"));
    FedSteps.assertClose(KerasReference.sgd(constant(0.1f, 3), 0, INITIAL, GRADIENTS),
        FedSteps.run(sgd, INITIAL, GRADIENTS));
  }

  @Test
  void decaysEveryVariableBeforeTheUpdate() {
    Optimizer sgd = new SGD(0.1f).weightDecay(0.5f);
    assertEquals(0.5f, sgd.getWeightDecay());
    assertEquals(0.5f, sgd.getConfig().get("weight_decay"));
    float[][][] w = FedSteps.run(sgd, NAMES, THREE_INITIAL, threeGradients());
    double[][] decayed = KerasReference.sgd(constant(0.1f, 3), 0.5f, INITIAL, GRADIENTS);
    for (int i = 0; i < NAMES.length; i++) {
      FedSteps.assertClose(decayed, variable(w, i));
    }
    // By hand, element 0 after step 1: 0.5 - 0.5 * 0.5 * 0.1 - 0.1 * 0.5 = 0.425.
    assertEquals(0.425f, w[0][0][0], 1e-6f);
  }

  @Test
  void excludesVariablesWhoseNameContainsAGivenName() {
    Optimizer sgd = new SGD(0.1f).weightDecay(0.5f).excludeFromWeightDecay("bias", "output_");
    float[][][] w = FedSteps.run(sgd, NAMES, THREE_INITIAL, threeGradients());
    FedSteps.assertClose(KerasReference.sgd(constant(0.1f, 3), 0.5f, INITIAL, GRADIENTS), variable(w, 0));
    double[][] plain = KerasReference.sgd(constant(0.1f, 3), 0, INITIAL, GRADIENTS);
    FedSteps.assertClose(plain, variable(w, 1));
    FedSteps.assertClose(plain, variable(w, 2));
  }

  @Test
  void excludesGivenVariablesAndEachCallReplacesTheLast() {
    try (GraphRuntime rt = new GraphRuntime()) {
      GraphVariable kernel = rt.newVariable("dense", "kernel", Shape.of(1), o -> o.constant(new float[] {1f}), true);
      GraphVariable bias = rt.newVariable("dense", "bias", Shape.of(1), o -> o.constant(new float[] {1f}), true);
      Optimizer sgd = new SGD(0.1f).weightDecay(0.5f).excludeFromWeightDecay("kernel");
      sgd.excludeFromWeightDecay(List.of(bias)); // replaces the exclusion of "kernel"
      Operand<TFloat32> zero = rt.tf().constant(new float[] {0f});
      Op step = sgd.applyGradients(rt, List.of(kernel, bias), List.of(zero, zero), List.of());
      rt.session().runner().addTarget(step).run().close();
      List<FloatNdArray> w = rt.read(List.of(kernel, bias));
      assertEquals(0.95f, w.get(0).getFloat(0), 1e-7f, "kernel: 1 - 1 * 0.5 * 0.1, decayed");
      assertEquals(1f, w.get(1).getFloat(0), "bias: excluded, and its gradient is 0");
    }
  }

  @Test
  void isSetBeforeTheFirstStepOnly() {
    Optimizer sgd = new SGD(0.1f);
    FedSteps.run(sgd, INITIAL, GRADIENTS);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.weightDecay(0.1f));
    assertTrue(e.getMessage().contains("set weightDecay before its first training step"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> sgd.excludeFromWeightDecay("bias"));
    assertTrue(e.getMessage().contains("set excludeFromWeightDecay before its first training step"), e.getMessage());
  }

  @Test
  void rejectsBadArguments() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SGD(0.1f).weightDecay(Float.POSITIVE_INFINITY));
    assertTrue(e.getMessage().matches("Optimizer 'SGD(_\\d+)?': weightDecay must be a finite number >= 0\\. "
        + "Received: weightDecay=Infinity"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1f).excludeFromWeightDecay("bias("));
    assertTrue(e.getMessage().contains("excludeFromWeightDecay names must be regular expressions"), e.getMessage());
  }
}
