package io.github.keras4j.examples.rl.env;

/**
 * Pendulum-v1: swing a frictionless pendulum up and keep it upright, with Gymnasium's constants and equations
 * ({@code gymnasium/envs/classic_control/pendulum.py}).
 *
 * <p>The state is {@code (theta, theta_dot)}, theta = 0 upright; the observation is
 * {@code (cos(theta), sin(theta), theta_dot)}; the action is one torque {@code u}, clipped to {@code [-2, 2]}.
 * With {@code g = 10.0}, mass {@code m = 1}, length {@code l = 1} and {@code dt = 0.05}:
 *
 * <pre>
 * reward        = -(normalize(theta)^2 + 0.1 theta_dot^2 + 0.001 u^2)      (from the state before the step)
 * theta_dot'    = clip(theta_dot + (3 g / (2 l) sin(theta) + 3 / (m l^2) u) dt, -8, 8)
 * theta'        = theta + theta_dot' dt
 * normalize(a)  = ((a + pi) mod 2 pi) - pi                                  (into [-pi, pi))
 * </pre>
 *
 * <p>The episode never terminates and is truncated after 200 steps. A reset draws theta uniformly from
 * {@code [-pi, pi)} and theta_dot from {@code [-1, 1)}.
 */
public final class Pendulum extends BaseEnvironment<float[]> {

  /** Largest angular speed, rad/s. */
  public static final double MAX_SPEED = 8;
  /** Largest torque; actions are clipped to {@code [-MAX_TORQUE, MAX_TORQUE]}. */
  public static final double MAX_TORQUE = 2.0;
  /** Seconds per step. */
  public static final double DT = 0.05;
  /** Gravity (Gymnasium's default {@code g=10.0}). */
  public static final double GRAVITY = 10.0;
  /** Mass. */
  public static final double MASS = 1.0;
  /** Length. */
  public static final double LENGTH = 1.0;
  /** Pendulum-v1's time limit. */
  public static final int MAX_EPISODE_STEPS = 200;

  private double theta;
  private double thetaDot;

  /** A pendulum; call {@link #reset(long)} before stepping. */
  public Pendulum() {
    super("Pendulum", MAX_EPISODE_STEPS);
  }

  @Override
  public int observationSize() {
    return 3;
  }

  @Override
  public float[] reset() {
    return resetTo(-Math.PI + 2 * Math.PI * random.nextDouble(), -1 + 2 * random.nextDouble());
  }

  /** Starts an episode from the given state instead of a random one (for tests and demonstrations). */
  public float[] resetTo(double theta, double thetaDot) {
    this.theta = theta;
    this.thetaDot = thetaDot;
    return startEpisode();
  }

  /** The current state {@code (theta, theta_dot)} in double precision; theta is not normalised. */
  public double[] state() {
    return new double[] {theta, thetaDot};
  }

  /** Gymnasium's {@code angle_normalize}: {@code ((a + pi) mod 2 pi) - pi}, with a floored modulo. */
  public static double angleNormalize(double a) {
    double period = 2 * Math.PI;
    double shifted = a + Math.PI;
    return shifted - period * Math.floor(shifted / period) - Math.PI;
  }

  /** Applies the torque {@code action[0]} (clipped to {@code [-2, 2]}). */
  @Override
  public Outcome step(float[] action) {
    if (action == null || action.length != 1 || Float.isNaN(action[0])) {
      throw new IllegalArgumentException("Pendulum: action must be one torque value. Received: "
          + (action == null ? "null" : java.util.Arrays.toString(action)));
    }
    checkRunning();
    double u = Math.max(-MAX_TORQUE, Math.min(MAX_TORQUE, action[0]));
    double th = angleNormalize(theta);
    double cost = th * th + 0.1 * thetaDot * thetaDot + 0.001 * u * u;
    double newThetaDot = thetaDot + (3 * GRAVITY / (2 * LENGTH) * Math.sin(theta) + 3.0 / (MASS * LENGTH * LENGTH) * u) * DT;
    newThetaDot = Math.max(-MAX_SPEED, Math.min(MAX_SPEED, newThetaDot));
    theta = theta + newThetaDot * DT;
    thetaDot = newThetaDot;
    return endStep(-cost, false);
  }

  @Override
  float[] observation() {
    return new float[] {(float) Math.cos(theta), (float) Math.sin(theta), (float) thetaDot};
  }
}
