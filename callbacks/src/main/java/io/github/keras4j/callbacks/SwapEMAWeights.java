package io.github.keras4j.callbacks;

import io.github.keras4j.graph.GraphRuntime;
import io.github.keras4j.graph.GraphVariable;
import io.github.keras4j.models.Model;
import io.github.keras4j.optimizers.LossScaleOptimizer;
import io.github.keras4j.optimizers.MultiOptimizer;
import io.github.keras4j.optimizers.Optimizer;
import io.github.keras4j.training.Callback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Swaps the model's weights with the optimizer's moving averages (EMA weights, "Polyak averaging") before
 * evaluation and back after it, as Keras's {@code SwapEMAWeights}: validation during {@code fit}, {@code evaluate}
 * and {@code predict} see the EMA weights. Use it with an optimizer created with {@code useEma(true)}.
 *
 * <pre>{@code
 * model.compile(new SGD(0.01f).useEma(true), "mse");
 * model.fit(x, y, new FitOptions().validationSplit(0.2).callbacks(new SwapEMAWeights()));
 * }</pre>
 *
 * <p>With {@code swapOnEpoch} the swap also happens at each epoch's end (and back at the next epoch's start), so that
 * callbacks after this one ({@code ModelCheckpoint}) see the EMA weights. The weights are swapped in place: the
 * behaviour is undefined if other callbacks change the EMA or model weights meanwhile.
 *
 * <p>As Keras, a {@code LossScaleOptimizer}'s inner optimizer is used, and with a {@code MultiOptimizer} the moving
 * averages of each inner optimizer that has {@code useEma(true)} are swapped (at least one must).
 *
 * <p>Where Java differs from Keras: {@code onPredictEnd} swaps the weights back (Keras 3.x tests the wrong flag there
 * and leaves the EMA weights in the model after {@code predict}).
 */
public class SwapEMAWeights extends Callback {

  private final boolean swapOnEpoch;
  private boolean emaWeightsInModel;

  /** Swaps around evaluation and prediction only ({@code swapOnEpoch = false}, Keras's default). */
  public SwapEMAWeights() {
    this(false);
  }

  /**
   * @param swapOnEpoch whether to swap at {@code onEpochEnd} and back at {@code onEpochBegin} as well, so that the
   *     callbacks after this one see the EMA weights at the end of each epoch
   */
  public SwapEMAWeights(boolean swapOnEpoch) {
    this.swapOnEpoch = swapOnEpoch;
  }

  /** Whether the EMA weights are in the model now. */
  public boolean emaWeightsInModel() {
    return emaWeightsInModel;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    if (swapOnEpoch && emaWeightsInModel) {
      swapVariables();
      emaWeightsInModel = false;
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (swapOnEpoch && !emaWeightsInModel) {
      swapVariables();
      emaWeightsInModel = true;
      // As Keras: after the last epoch fit copies the averages into the model (finalizeVariableValues); the
      // averages, which hold the trained weights since the swap, get the EMA weights back first.
      Object epochs = getParams() == null ? null : getParams().get("epochs");
      if (epochs instanceof Number n && epoch == n.intValue() - 1) {
        finalizeEmaValues();
      }
    }
  }

  @Override
  public void onTestBegin(Map<String, Double> logs) {
    if (!emaWeightsInModel) {
      swapVariables();
      emaWeightsInModel = true;
    }
  }

  @Override
  public void onTestEnd(Map<String, Double> logs) {
    if (emaWeightsInModel) {
      swapVariables();
      emaWeightsInModel = false;
    }
  }

  @Override
  public void onPredictBegin(Map<String, Double> logs) {
    onTestBegin(logs);
  }

  @Override
  public void onPredictEnd(Map<String, Double> logs) {
    onTestEnd(logs);
  }

  /**
   * The optimizers whose moving averages are swapped, as Keras's {@code _apply_to_ema_optimizers}: through a
   * {@code LossScaleOptimizer} to its inner optimizer; for a {@code MultiOptimizer}, its inner optimizers with
   * {@code useEma(true)} (at least one must have it); otherwise the optimizer itself, which must have it.
   */
  private List<Optimizer> emaOptimizers() {
    Model model = getModel();
    Optimizer optimizer = model == null ? null : model.getOptimizer();
    Optimizer unwrapped = optimizer instanceof LossScaleOptimizer l ? l.getInnerOptimizer() : optimizer;
    if (unwrapped instanceof MultiOptimizer multi) {
      List<Optimizer> withEma = new ArrayList<>();
      for (Optimizer o : multi.optimizers()) {
        if (o.getUseEma()) {
          withEma.add(o);
        }
      }
      if (withEma.isEmpty()) {
        throw new IllegalArgumentException("SwapEMAWeights must be used when at least one inner optimizer has "
            + "`useEma(true)` set. Received a MultiOptimizer with all inner optimizers having `useEma(false)`.");
      }
      return withEma;
    }
    if (unwrapped == null || !unwrapped.getUseEma()) {
      throw new IllegalArgumentException("SwapEMAWeights must be used when `useEma(true)` is set on the optimizer. "
          + "Received: useEma=" + (unwrapped != null && unwrapped.getUseEma()));
    }
    return List.of(unwrapped);
  }

  /** Swaps every trained variable with its moving average (none before the optimizer's first step). */
  private void swapVariables() {
    for (Optimizer optimizer : emaOptimizers()) {
      Map<GraphVariable, GraphVariable> averages = optimizer.movingAverages();
      GraphRuntime rt = optimizer.runtimeOrNull();
      if (averages.isEmpty() || rt == null) {
        continue;
      }
      List<GraphVariable> variables = new ArrayList<>(averages.keySet());
      List<GraphVariable> averageVariables = new ArrayList<>(averages.values());
      List<FloatNdArray> modelValues = rt.read(variables);
      List<FloatNdArray> averageValues = rt.read(averageVariables);
      rt.assign(variables, averageValues);
      rt.assign(averageVariables, modelValues);
    }
  }

  /** Copies the model's weights (the EMA weights after a swap) into the moving averages. */
  private void finalizeEmaValues() {
    for (Optimizer optimizer : emaOptimizers()) {
      Map<GraphVariable, GraphVariable> averages = optimizer.movingAverages();
      GraphRuntime rt = optimizer.runtimeOrNull();
      if (averages.isEmpty() || rt == null) {
        continue;
      }
      rt.assign(new ArrayList<>(averages.values()), rt.read(new ArrayList<>(averages.keySet())));
    }
  }
}
