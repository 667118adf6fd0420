package dev.nas.core.run;

/**
 * The one rule for how many threads libtorch and ONNX Runtime give a single operator.
 *
 * <p>The default is one thread per worker. A supernet step is tens of thousands of small
 * operators; with two OpenMP threads each operator is a fork and a join, which costs more than it
 * saves when the threads sleep between operators (OMP_WAIT_POLICY=PASSIVE) and collapses to
 * tens of seconds per step when they spin while another process holds the cores. On the 2-core
 * reference machine one thread was 1.2x faster than two sleeping ones on the DARTS search
 * configuration and 2.6-3.3x faster on the default pipeline's supernet (BENCHMARKS.md, "Threads"),
 * with the cores idle or shared. Larger work is
 * spread over cores by running more workers ({@code nas compare} trials, server workers), not
 * wider operators.
 *
 * <p>Overrides, strongest first: {@code --threads N}, the environment variable
 * {@code NAS_THREADS}, then the default. DJL reads the count once, when the PyTorch engine
 * starts, so it must be applied before the first tensor exists.
 */
public final class IntraOpThreads {
  /** The default when neither {@code --threads} nor {@code NAS_THREADS} says otherwise. */
  public static final int DEFAULT = 1;
  /** The environment variable that sets the count for every command. */
  public static final String ENV = "NAS_THREADS";
  private static final String DJL_THREADS = "ai.djl.pytorch.num_threads";
  private static final String DJL_INTEROP = "ai.djl.pytorch.num_interop_threads";

  private IntraOpThreads() {}

  /** The count in force: what was applied, else {@code NAS_THREADS}, else {@link #DEFAULT}. */
  public static int current() {
    String set = System.getProperty(DJL_THREADS);
    if (set != null) {
      return parse(set, DJL_THREADS);
    }
    String env = System.getenv(ENV);
    return env != null && !env.isBlank() ? parse(env.trim(), ENV) : DEFAULT;
  }

  /** Makes {@code n} the count of this process (before libtorch starts: later calls change nothing there). */
  public static void apply(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("thread count must be positive, not " + n);
    }
    System.setProperty(DJL_THREADS, Integer.toString(n));
    // libtorch's inter-op pool only serves TorchScript forks, which nas does not use
    System.setProperty(DJL_INTEROP, "1");
  }

  /** Applies {@link #current()} unless a count was applied already. */
  public static void applyDefault() {
    if (System.getProperty(DJL_THREADS) == null) {
      apply(current());
    }
  }

  private static int parse(String text, String source) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(source + " must be a positive whole number of threads, not '" + text + "'");
  }
}
