package io.github.keras4j.layers.rnn;

import io.github.keras4j.layers.Layer;
import io.github.keras4j.layers.SavedState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Several cells run as one, as Keras's {@code StackedRNNCells}: at each step the first cell reads the step's inputs,
 * each next cell reads the output of the one before, and the output is the last cell's. The states are the
 * concatenation of the cells' state lists, first cell first ({@code [h1, c1, h2]} for an LSTMCell then a GRUCell).
 * {@code new RNN(new StackedRNNCells(a, b))} computes what two {@link RNN} layers do when the first returns
 * sequences, in one unrolled loop.
 *
 * <p>The weights are the cells' own, in order ({@code lstm_cell/kernel}, ..., {@code gru_cell/kernel}, ...).
 *
 * <pre>{@code
 * new RNN(new StackedRNNCells(new LSTMCell(32), new LSTMCell(16)));
 * }</pre>
 */
public class StackedRNNCells extends RnnCell {

  private final List<RnnCell> cells;

  /** The cells, first to last. */
  public StackedRNNCells(RnnCell... cells) {
    this(List.of(cells), null);
  }

  /**
   * @param cells the cells, first to last; at least one
   * @param name the cell's name, or null for a generated one
   */
  public StackedRNNCells(List<? extends RnnCell> cells, String name) {
    super(name);
    if (cells == null || cells.isEmpty()) {
      throw new IllegalArgumentException("Cell '" + name() + "': StackedRNNCells needs at least one cell. Received: "
          + "cells=" + cells);
    }
    List<RnnCell> tracked = new ArrayList<>();
    for (RnnCell cell : cells) {
      if (cell == null) {
        throw new IllegalArgumentException("Cell '" + name() + "': received a null cell in cells=" + cells);
      }
      tracked.add(trackLayer(cell));
    }
    this.cells = List.copyOf(tracked);
  }

  /** The cells, first to last. */
  public List<RnnCell> cells() {
    return cells;
  }

  /** Keras's list attribute {@code cells}: {@code cells/lstm_cell}, {@code cells/lstm_cell_1}, ... */
  @Override
  public Map<String, Layer> savedChildren() {
    return SavedState.listAttribute("cells", cells);
  }

  /** Every cell's state sizes, first cell first. */
  @Override
  public List<Integer> stateSize() {
    List<Integer> sizes = new ArrayList<>();
    for (RnnCell cell : cells) {
      sizes.addAll(cell.stateSize());
    }
    return sizes;
  }

  /** The last cell's output size. */
  @Override
  public int outputSize() {
    return cells.get(cells.size() - 1).outputSize();
  }

  /** Builds each cell on the previous one's output size. */
  @Override
  protected void build(Ops tf, Shape inputShape) {
    Shape s = inputShape;
    for (RnnCell cell : cells) {
      cell.ensureBuilt(runtime(), List.of(s));
      s = Shape.of(s.get(0), cell.outputSize());
    }
  }

  @Override
  public void beginSequence(Ops tf, Operand<TInt32> batch, boolean training) {
    for (RnnCell cell : cells) {
      cell.beginSequence(tf, batch, training);
    }
  }

  /** Each cell's step on the previous cell's output, with its slice of the states. */
  @Override
  public Output step(Ops tf, Operand<TFloat32> input, List<Operand<TFloat32>> states, boolean training) {
    List<Operand<TFloat32>> next = new ArrayList<>();
    Operand<TFloat32> x = input;
    int offset = 0;
    for (RnnCell cell : cells) {
      int n = cell.stateSize().size();
      Output out = RNN.checked(name(), cell, cell.step(tf, x, states.subList(offset, offset + n), training));
      next.addAll(out.states());
      x = out.output();
      offset += n;
    }
    return new Output(x, next);
  }

  /** {@code cells}: each cell's class name and config, as Keras. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    List<Map<String, Object>> specs = new ArrayList<>();
    for (RnnCell cell : cells) {
      specs.add(RNN.serialize(cell));
    }
    c.put("cells", specs);
    return c;
  }
}
