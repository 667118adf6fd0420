package dev.nas.cli;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The values a numeric option accepts. There is one range per option name, kept in
 * {@link #RANGES} and applied by {@link Args} where the value is parsed, so every command that
 * takes an option refuses the same values with the same message. The upper bounds are far above
 * any useful setting; they exist so that an absurd value is refused at once with its name rather
 * than overflowing or exhausting memory minutes later.
 *
 * @param openMin whether {@code min} itself is excluded
 * @param openMax whether {@code max} itself is excluded
 * @param integral whether the option takes whole numbers
 */
record OptionRange(double min, double max, boolean openMin, boolean openMax, boolean integral) {
  private static OptionRange ints(long min, long max) {
    return new OptionRange(min, max, false, false, true);
  }

  private static OptionRange reals(double min, boolean openMin, double max, boolean openMax) {
    return new OptionRange(min, max, openMin, openMax, false);
  }

  private static final OptionRange BATCH = ints(1, 65_536);
  private static final OptionRange SAMPLES = ints(1, 100_000_000);
  private static final OptionRange EPOCHS = ints(1, 100_000);
  private static final OptionRange DEPTH = ints(1, 1_000);
  private static final OptionRange WIDTH = ints(1, 1_024);
  private static final OptionRange REPEAT = ints(1, 64);
  private static final OptionRange STEPS = ints(0, 1_000_000_000);
  private static final OptionRange LOSS_WEIGHT = reals(0, false, 1e6, false);
  private static final OptionRange RATE = reals(0, false, 10, false);
  private static final OptionRange DECAY = reals(0, false, 1, false);
  private static final OptionRange SHARE = reals(0, false, 1, true);

  /** Every numeric option of every command. */
  static final Map<String, OptionRange> RANGES = Map.ofEntries(
      Map.entry("threads", ints(1, 1_024)),
      Map.entry("batch", BATCH), Map.entry("bench-batch", BATCH), Map.entry("search-batch", BATCH),
      Map.entry("train-batch", BATCH), Map.entry("max-batch", BATCH), Map.entry("min-batch", BATCH),
      Map.entry("opt-batch", BATCH),
      Map.entry("stop-after", ints(1, 100_000)),
      Map.entry("train-samples", SAMPLES), Map.entry("test-samples", SAMPLES), Map.entry("search-samples", SAMPLES),
      Map.entry("epochs", EPOCHS), Map.entry("search-epochs", EPOCHS), Map.entry("train-epochs", EPOCHS),
      Map.entry("lr-step", EPOCHS), Map.entry("warmup-epochs", ints(0, 100_000)),
      Map.entry("train-warmup-epochs", ints(0, 100_000)),
      Map.entry("layers", DEPTH), Map.entry("search-layers", DEPTH), Map.entry("enet-layers", DEPTH),
      Map.entry("resnet-blocks", DEPTH),
      Map.entry("channels", WIDTH), Map.entry("search-channels", WIDTH), Map.entry("enet-channels", WIDTH),
      Map.entry("budget-channels", WIDTH),
      Map.entry("stem-channels", WIDTH), Map.entry("partial-channels", ints(1, 64)),
      Map.entry("repeat", REPEAT), Map.entry("enet-repeat", REPEAT),
      Map.entry("classes", ints(2, 100_000)),
      Map.entry("frames", ints(1, 4_096)), Map.entry("size", ints(1, 16_384)),
      Map.entry("clips", ints(1, 1_000)), Map.entry("frame-stride", ints(0, 64)),
      Map.entry("scale-jitter", ints(1, Args.MAX_SHAPE_SIZE)),
      Map.entry("test-crops", ints(1, 10)), Map.entry("train-test-crops", ints(1, 10)),
      Map.entry("train-clips", ints(1, 1_000)), Map.entry("cutout", ints(0, 16_384)),
      Map.entry("update-steps", STEPS), Map.entry("enet-steps", STEPS),
      Map.entry("warmup", ints(0, 1_000_000)), Map.entry("bench-warmup", ints(0, 1_000_000)),
      Map.entry("iterations", ints(1, 10_000_000)), Map.entry("bench-iterations", ints(1, 10_000_000)),
      Map.entry("seed", ints(Long.MIN_VALUE, Long.MAX_VALUE)),
      Map.entry("port", ints(0, 65_535)), Map.entry("timeout-ms", ints(1, 86_400_000)),
      Map.entry("max-body-mb", ints(1, 2_047)), Map.entry("grace-period", ints(0, 86_400)),
      Map.entry("max-queue-delay-us", ints(0, 60_000_000)), Map.entry("queue", ints(1, 1_000_000)),
      Map.entry("queue-size", ints(0, 1_000_000)), Map.entry("workers", ints(1, 1_024)),
      Map.entry("workspace-mb", ints(1, 1_048_576)), Map.entry("version", ints(0, 1_000_000_000)),
      Map.entry("check", ints(1, 10_000)), Map.entry("check-seed", ints(0, Long.MAX_VALUE)),
      Map.entry("latency-margin", reals(0, false, 100, true)),
      Map.entry("target-macs", reals(0, true, 1e18, false)), Map.entry("target-params", reals(0, true, 1e18, false)),
      Map.entry("target-latency", reals(0, true, 1e9, false)), Map.entry("cost-weight", reals(0, true, 1e6, false)),
      Map.entry("net-channels", WIDTH), Map.entry("net-layers", DEPTH), Map.entry("net-repeat", REPEAT),
      Map.entry("net-stem-channels", WIDTH), Map.entry("max-latency", reals(0, true, 1e9, false)),
      Map.entry("max-macs", ints(1, Long.MAX_VALUE)), Map.entry("max-params", ints(1, Long.MAX_VALUE)),
      Map.entry("max-video-macs", ints(1, Long.MAX_VALUE)),
      Map.entry("lr", reals(0, true, 10, false)), Map.entry("lr-min", RATE), Map.entry("arch-lr", RATE),
      Map.entry("momentum", SHARE), Map.entry("weight-decay", DECAY), Map.entry("arch-weight-decay", DECAY),
      Map.entry("grad-clip", reals(0, true, 1e6, false)), Map.entry("train-portion", reals(0, true, 1, true)),
      Map.entry("distill-weight", LOSS_WEIGHT), Map.entry("skip-weight", LOSS_WEIGHT),
      Map.entry("aux-weight", LOSS_WEIGHT), Map.entry("temperature", reals(0, true, 1e6, false)),
      Map.entry("drop-path", SHARE), Map.entry("label-smoothing", SHARE), Map.entry("dropout", SHARE),
      Map.entry("lr-decay", reals(0, true, 1, false)), Map.entry("train-lr-decay", reals(0, true, 1, false)),
      Map.entry("enet-epochs", ints(0, 100_000)), Map.entry("calibrate", ints(1, 10_000)),
      Map.entry("duration", reals(0, true, 86_400, false)), Map.entry("max-latency-ms", reals(0, true, 1e9, false)));

  /** The range of {@code opt}; every numeric option has one. */
  static OptionRange of(String opt) {
    OptionRange r = RANGES.get(opt);
    if (r == null) {
      throw new IllegalStateException("--" + opt + " has no declared range (OptionRange.RANGES)");
    }
    return r;
  }

  /** Refuses {@code v} outside the range with a message naming the option and the range. */
  void check(String opt, double v) {
    boolean low = openMin ? v <= min : v < min;
    boolean high = openMax ? v >= max : v > max;
    if (!low && !high) {
      return;
    }
    String range = (openMin ? "(" : "[") + show(min) + ", " + show(max) + (openMax ? ")" : "]");
    String what;
    if (low) {
      what = min == 0 && openMin ? "must be positive" : min == 1 && integral ? "must be positive"
          : min == 0 ? "must not be negative" : "must be at least " + show(min);
    } else {
      what = openMax ? "must be below " + show(max) : "must be at most " + show(max);
    }
    throw new UsageException("--" + opt + " " + what + " " + range + ", got " + show(v));
  }

  private static String show(double v) {
    if (v >= Long.MAX_VALUE || v <= Long.MIN_VALUE) {
      return v > 0 ? "2^63-1" : "-2^63";
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
