package dev.nas.runtime.gpu;

import static org.bytedeco.cuda.global.cudart.cudaGetErrorName;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;

import org.bytedeco.javacpp.BytePointer;

/** Checks of CUDA runtime calls. Only call after {@link Gpu#probe} succeeded: it loads the natives. */
public final class Cuda {
  private Cuda() {}

  /**
   * @param status what a CUDA runtime call returned
   * @param call the call, for the message, e.g. {@code cudaMalloc(input, 4096 bytes)}
   * @throws IllegalStateException naming the call and CUDA's error unless {@code status} is
   *     {@code cudaSuccess}
   */
  public static void check(int status, String call) {
    if (status != 0) {
      throw new IllegalStateException("CUDA error in " + call + ": " + errorText(status));
    }
  }

  /** CUDA's name and description of an error code, e.g. {@code cudaErrorMemoryAllocation (out of memory)}. */
  public static String errorText(int status) {
    return text(cudaGetErrorName(status)) + " (" + text(cudaGetErrorString(status)) + ")";
  }

  private static String text(BytePointer p) {
    // CUDA returns pointers to static strings: nothing to free.
    return p == null || p.isNull() ? "unknown" : p.getString();
  }
}
