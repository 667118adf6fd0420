package dev.nas.djl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

/**
 * What the NVIDIA driver says, read through its own library ({@code libcuda.so.1}) rather than
 * libtorch, so that a missing GPU can be explained: no driver, a driver without devices, or a
 * driver too old for the CUDA build.
 *
 * @param loaded whether the driver library could be loaded
 * @param version the CUDA version the driver supports, e.g. 12040 for 12.4 (0 when unknown)
 * @param devices devices the driver reports (0 when unknown)
 * @param error the driver's error code of {@code cuInit} (0 for success)
 */
public record CudaDriver(boolean loaded, int version, int devices, int error) {
  private interface Cuda extends Library {
    int cuInit(int flags);

    int cuDriverGetVersion(IntByReference version);

    int cuDeviceGetCount(IntByReference count);
  }

  /** Probes the driver (cheap; loads nothing into libtorch). */
  public static CudaDriver probe() {
    Cuda cuda;
    try {
      cuda = Native.load(System.getProperty("os.name").startsWith("Win") ? "nvcuda" : "cuda", Cuda.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return new CudaDriver(false, 0, 0, 0);
    }
    IntByReference v = new IntByReference();
    cuda.cuDriverGetVersion(v);
    int err = cuda.cuInit(0);
    IntByReference n = new IntByReference();
    if (err == 0) {
      cuda.cuDeviceGetCount(n);
    }
    return new CudaDriver(true, v.getValue(), n.getValue(), err);
  }

  /** One line for an error message: what is there and what is missing. */
  public String describe() {
    if (!loaded) {
      return "no NVIDIA driver (libcuda.so.1 cannot be loaded; nvidia-smi would fail too)";
    }
    String ver = version == 0 ? "unknown CUDA version" : "CUDA " + version / 1000 + "." + version % 1000 / 10;
    if (error != 0) {
      return "the NVIDIA driver (" + ver + ") is installed but cuInit failed with error " + error
          + (error == 100 ? " (no CUDA-capable device)" : "");
    }
    return "the NVIDIA driver supports " + ver + " and reports " + devices + " device(s)";
  }
}
