package io.github.keras4j.layers.attention;

import io.github.keras4j.backend.Backend;
import io.github.keras4j.layers.Layer;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The attention scores of an attention layer's call as a layer output, for {@code applyWithScores}: applied to the
 * attention layer's output, it returns the scores that the same traced call computed (an {@code Identity} op, no
 * weights). Taking the attention output as input keeps the attention layer in every model that uses the scores.
 */
final class AttentionScores extends Layer {

  private final String owner;
  private final AttentionOps.ScoresStore store;
  private final Shape scoresShape;

  AttentionScores(String owner, AttentionOps.ScoresStore store, Shape scoresShape) {
    super(Backend.uniqueName(owner + "_scores"));
    this.owner = owner;
    this.store = store;
    this.scoresShape = scoresShape;
    // Takes the output's mask in but gives the scores none (and so logs no "mask dropped" warning).
    setSupportsMasking(true);
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return scoresShape;
  }

  @Override
  protected Operand<TFloat32> call(Ops tf, Operand<TFloat32> inputs, boolean training) {
    return tf.identity(store.scoresOf(owner, inputs));
  }

  @Override
  protected Operand<TBool> computeMask(Ops tf, List<Operand<TFloat32>> inputs, List<Operand<TBool>> masks) {
    return null;
  }

  /**
   * {@code name} and {@code layer}, the attention layer whose scores this is. Only Keras4J reads this class back: a
   * saved model rebuilds it by calling that layer's {@code applyWithScores} again.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("layer", owner);
    return c;
  }
}
