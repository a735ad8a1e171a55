package io.github.keras4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link IndexedScope} names operations as TF Java's {@code OpScope} does: the expected names below are TF's
 * rules ({@code Const}, {@code Const_1}, sub-scope {@code a}, {@code a_1}), written out by hand.
 */
class IndexedScopeTest {

  private static String name(Operand<?> o) {
    return o.op().name();
  }

  @Test
  void repeatedNamesAndSubScopesAreNumberedAsTfJavaDoes() {
    try (Graph g = new Graph()) {
      Ops tf = IndexedScope.rootOps(g);
      assertEquals("Const", name(tf.constant(1f)));
      assertEquals("Const_1", name(tf.constant(2f)));
      Ops a = tf.withSubScope("a");
      assertEquals("a/Const", name(a.constant(1f)));
      assertEquals("a/x", name(a.withName("x").constant(1f)));
      assertEquals("a/x_1", name(a.withName("x").constant(1f)));
      // The same parent asked twice for a sub-scope gets a new one, as OpScope does.
      assertEquals("a_1/Const", name(tf.withSubScope("a").constant(1f)));
      assertEquals("a/b/Const", name(a.withSubScope("b").constant(1f)));
      // withName then withSubScope: the name becomes the sub-scope's (OpScope's rule).
      assertEquals("a/named/Const", name(a.withName("named").withSubScope("ignored").constant(1f)));
      // tf.zeros opens a sub-scope per call.
      Operand<TFloat32> z1 = tf.zeros(tf.constant(new int[] {2}), TFloat32.class);
      Operand<TFloat32> z2 = tf.zeros(tf.constant(new int[] {2}), TFloat32.class);
      assertTrue(name(z1).startsWith("Zeros/"), name(z1));
      assertTrue(name(z2).startsWith("Zeros_1/"), name(z2));
    }
  }

  @Test
  void namesTakenOutsideTheScopeAreNotReused() {
    try (Graph g = new Graph()) {
      Ops plain = Ops.create(g);
      plain.withName("c").constant(1f);
      plain.withSubScope("s").withName("Const").constant(1f);
      Ops tf = IndexedScope.rootOps(g);
      assertEquals("c_1", name(tf.withName("c").constant(2f)));
      assertEquals("s/Const_1", name(tf.withSubScope("s").constant(2f)));
      // A second IndexedScope on the same graph shares nothing but the graph, and still picks free names.
      Ops other = IndexedScope.rootOps(g);
      assertEquals("c_2", name(other.withName("c").constant(3f)));
    }
  }

  @Test
  void controlDependenciesDevicesAndInitScopesAreKept() {
    try (Graph g = new Graph()) {
      Ops tf = IndexedScope.rootOps(g);
      Operand<TFloat32> first = tf.constant(1f);
      Operand<TFloat32> after = tf.withControlDependencies(List.of(first)).identity(tf.constant(2f));
      Set<String> controls = ((GraphOperation) after.op()).controlInputs().stream().map(GraphOperation::name)
          .collect(Collectors.toSet());
      assertEquals(Set.of(name(first)), controls);
      Operand<TFloat32> placed = tf.withDevice(
          DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).deviceIndex(0).build()).constant(3f);
      assertEquals("/device:CPU:0", ((GraphOperation) placed.op()).device());
      // A variable made from an initial value registers its initializer, and the session runs it.
      var v = tf.withName("v").variable(tf.constant(5f));
      assertEquals("v", v.op().name());
      try (Session s = new Session(g)) {
        s.initialize();
        try (TFloat32 value = (TFloat32) s.runner().fetch(v).run().get(0)) {
          assertEquals(5f, value.getFloat(), 0f);
        }
      }
    }
  }

  @Test
  void invalidNamesAreRefusedAsTfJavaDoes() {
    try (Graph g = new Graph()) {
      Ops tf = IndexedScope.rootOps(g);
      assertThrows(IllegalArgumentException.class, () -> tf.withSubScope("a/b"));
      assertThrows(IllegalArgumentException.class, () -> tf.withName("-x"));
    }
  }
}
