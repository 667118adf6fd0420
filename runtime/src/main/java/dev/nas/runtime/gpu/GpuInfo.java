package dev.nas.runtime.gpu;

import java.util.Locale;

/**
 * The CUDA device nas runs on (device 0 of those visible; {@code CUDA_VISIBLE_DEVICES} picks it)
 * and the CUDA versions around it.
 *
 * @param name the device name, e.g. {@code NVIDIA A100-SXM4-40GB}
 * @param major compute capability, major part
 * @param minor compute capability, minor part
 * @param memoryBytes global memory
 * @param deviceCount CUDA devices visible to this process
 * @param driverCuda the newest CUDA version the installed driver supports, e.g. {@code 12.4}
 * @param runtimeCuda the version of the CUDA runtime library loaded, e.g. {@code 12.6}
 */
public record GpuInfo(String name, int major, int minor, long memoryBytes, int deviceCount, String driverCuda,
    String runtimeCuda) {

  /** {@code major.minor}, e.g. {@code 8.6}; TensorRT engines are specific to it. */
  public String computeCapability() {
    return major + "." + minor;
  }

  /** Whether the device has fast FP16 arithmetic (see {@link #hasFastFp16(int, int)}). */
  public boolean hasFastFp16() {
    return hasFastFp16(major, minor);
  }

  /**
   * Whether devices of compute capability {@code major.minor} run FP16 at least at FP32 speed:
   * 5.3 (Jetson TX1), 6.0 (P100), 6.2 (Jetson TX2) and everything from Volta (7.0) on. The
   * consumer Pascal chips (6.1, e.g. GTX 10x0, P4, P40) run FP16 at 1/64 of FP32 and older ones
   * have no FP16 arithmetic. This is the rule TensorRT's deprecated {@code platformHasFastFp16}
   * applied; TensorRT 10.5 asks callers to decide from the device themselves.
   */
  public static boolean hasFastFp16(int major, int minor) {
    return major >= 7 || (major == 6 && minor != 1) || (major == 5 && minor == 3);
  }

  /** One line, e.g. {@code NVIDIA A100 (compute capability 8.0, 39.4 GiB), driver CUDA 12.4, runtime CUDA 12.6}. */
  public String describe() {
    return String.format(Locale.ROOT, "%s (compute capability %s, %.1f GiB), driver CUDA %s, runtime CUDA %s", name,
        computeCapability(), memoryBytes / (double) (1L << 30), driverCuda, runtimeCuda);
  }
}
