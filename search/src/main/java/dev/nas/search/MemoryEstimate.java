package dev.nas.search;

import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A before-the-fact estimate of a search's peak memory, so an oversized supernet fails in a
 * second with advice instead of after minutes with an out-of-memory kill.
 *
 * <p>Model: every node output of every supernet fragment is kept for the backward pass (plus
 * one weighted copy per mixed operation), times the batch, times two for the transient gradient
 * buffers of the backward pass (3.2 for the second-order step); weights with their gradients and
 * optimiser state (three more copies for the second-order step); plus the native runtime itself.
 * Measured against peak resident memory for the DARTS search configuration: 9.0 GiB estimated vs
 * 8.1 GiB first order, 14.1 vs 13.4 GiB second order.
 */
public record MemoryEstimate(long activationBytes, long parameterBytes, long runtimeBytes) {
  /** Resident size of libtorch and the JVM before any tensor exists (measured: about 0.4 GiB). */
  static final long RUNTIME_BYTES = 450L << 20;

  public long total() {
    return activationBytes + parameterBytes + runtimeBytes;
  }

  /**
   * @param extraPerSample values per sample kept outside the fragments' nodes (partial channel
   *     edges' concatenations and shuffles, {@code Supernet#plumbingValuesPerSample})
   */
  public static MemoryEstimate forSearch(List<Graph> fragments, long extraPerSample, long weights, int batch,
      int bytesPerValue, boolean secondOrder) {
    long perSample = extraPerSample;
    for (Graph g : fragments) {
      for (Node n : g.nodes()) {
        if (!(n.layer() instanceof Layer.Input)) {
          perSample += n.shape().numel();
        }
      }
    }
    // Second order runs four forward/backward passes per step; their buffers are freed in turn,
    // but the allocator's high-water mark grows by about 60% (measured, BENCHMARKS.md).
    long activations = (long) ((secondOrder ? 3.2 : 2.0) * perSample * batch * bytesPerValue);
    long params = weights * bytesPerValue * (secondOrder ? 6 : 3);
    return new MemoryEstimate(activations, params, RUNTIME_BYTES);
  }

  /**
   * The Java heap a network's weights take while they are initialised and written (the tensors,
   * their byte encoding and the file buffer: three copies); derive and train check it before
   * allocating anything.
   */
  public static MemoryEstimate forWeights(long weights, int bytesPerValue) {
    return new MemoryEstimate(0, 3 * weights * bytesPerValue, 0);
  }

  /** The most the Java heap may grow to. */
  public static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }

  /** Memory the OS reports as available (Linux MemAvailable), if known. */
  public static OptionalLong available() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** Peak resident memory of this process so far (Linux VmHWM), if known. */
  public static OptionalLong peakResident() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  public static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }

  public String describe() {
    return String.format(Locale.ROOT, "estimated peak memory %s (activations %s, weights+gradients+optimiser %s, "
        + "runtime %s)", gib(total()), gib(activationBytes), gib(parameterBytes), gib(runtimeBytes));
  }
}
