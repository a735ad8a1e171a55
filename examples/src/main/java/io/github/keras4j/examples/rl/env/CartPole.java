package io.github.keras4j.examples.rl.env;

/**
 * CartPole-v1: the cart-pole of Barto, Sutton and Anderson (1983) with Gymnasium's constants and equations
 * ({@code gymnasium/envs/classic_control/cartpole.py}).
 *
 * <p>A pole is hinged on a cart moving on a frictionless track; each step pushes the cart with a force of 10 N to
 * the left (action 0) or to the right (action 1). The state is {@code (x, x_dot, theta, theta_dot)}: cart
 * position (m), cart velocity, pole angle from vertical (rad), pole angular velocity. With gravity {@code g = 9.8},
 * cart mass 1.0, pole mass 0.1, half pole length {@code l = 0.5} and time step {@code tau = 0.02} s (explicit
 * Euler):
 *
 * <pre>
 * temp     = (F + m_p l theta_dot^2 sin(theta)) / (m_c + m_p)
 * theta_acc = (g sin(theta) - cos(theta) temp) / (l (4/3 - m_p cos^2(theta) / (m_c + m_p)))
 * x_acc    = temp - m_p l theta_acc cos(theta) / (m_c + m_p)
 * x += tau x_dot;  x_dot += tau x_acc;  theta += tau theta_dot;  theta_dot += tau theta_acc
 * </pre>
 *
 * <p>The reward is 1 for every step, the last one included. The episode terminates when {@code |x| > 2.4} or
 * {@code |theta| > 12} degrees and is truncated after 500 steps. A reset draws all four state variables uniformly
 * from {@code [-0.05, 0.05)}. The state is kept in double precision and observed as floats, as in Gymnasium.
 */
public final class CartPole extends BaseEnvironment<Integer> {

  /** Gravity, m/s^2. */
  public static final double GRAVITY = 9.8;
  /** Mass of the cart, kg. */
  public static final double MASS_CART = 1.0;
  /** Mass of the pole, kg. */
  public static final double MASS_POLE = 0.1;
  /** Half the pole's length, m. */
  public static final double LENGTH = 0.5;
  /** Magnitude of the push, N. */
  public static final double FORCE_MAG = 10.0;
  /** Seconds between state updates. */
  public static final double TAU = 0.02;
  /** The pole angle beyond which the episode terminates: 12 degrees, in radians. */
  public static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
  /** The cart position beyond which the episode terminates, m. */
  public static final double X_THRESHOLD = 2.4;
  /** CartPole-v1's time limit. */
  public static final int MAX_EPISODE_STEPS = 500;
  /** Number of actions: 0 pushes left, 1 pushes right. */
  public static final int ACTIONS = 2;

  private static final double TOTAL_MASS = MASS_POLE + MASS_CART;
  private static final double POLEMASS_LENGTH = MASS_POLE * LENGTH;

  private final double[] state = new double[4];

  /** A cart-pole; call {@link #reset(long)} before stepping. */
  public CartPole() {
    super("CartPole", MAX_EPISODE_STEPS);
  }

  @Override
  public int observationSize() {
    return 4;
  }

  @Override
  public float[] reset() {
    for (int i = 0; i < 4; i++) {
      state[i] = -0.05 + 0.1 * random.nextDouble();
    }
    return startEpisode();
  }

  /**
   * Starts an episode from the given state {@code (x, x_dot, theta, theta_dot)} instead of a random one (for tests
   * and demonstrations; Gymnasium sets {@code env.unwrapped.state} for the same purpose).
   */
  public float[] resetTo(double x, double xDot, double theta, double thetaDot) {
    state[0] = x;
    state[1] = xDot;
    state[2] = theta;
    state[3] = thetaDot;
    return startEpisode();
  }

  /** The current state in double precision: {@code (x, x_dot, theta, theta_dot)}. */
  public double[] state() {
    return state.clone();
  }

  @Override
  public Outcome step(Integer action) {
    if (action == null || (action != 0 && action != 1)) {
      throw new IllegalArgumentException("CartPole: action must be 0 (push left) or 1 (push right). Received: "
          + action);
    }
    checkRunning();
    double x = state[0];
    double xDot = state[1];
    double theta = state[2];
    double thetaDot = state[3];
    double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    double temp = (force + POLEMASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
    double thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - MASS_POLE * cos * cos / TOTAL_MASS));
    double xAcc = temp - POLEMASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
    state[0] = x + TAU * xDot;
    state[1] = xDot + TAU * xAcc;
    state[2] = theta + TAU * thetaDot;
    state[3] = thetaDot + TAU * thetaAcc;
    boolean terminated = state[0] < -X_THRESHOLD || state[0] > X_THRESHOLD
        || state[2] < -THETA_THRESHOLD_RADIANS || state[2] > THETA_THRESHOLD_RADIANS;
    return endStep(1.0, terminated);
  }

  @Override
  float[] observation() {
    return new float[] {(float) state[0], (float) state[1], (float) state[2], (float) state[3]};
  }
}
