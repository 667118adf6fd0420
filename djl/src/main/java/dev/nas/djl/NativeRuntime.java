package dev.nas.djl;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Prepares the process before libtorch loads: the intra-op thread count of
 * {@link dev.nas.core.run.IntraOpThreads} (one unless the user chose more), and, for users who do
 * choose more, {@code OMP_WAIT_POLICY=PASSIVE}: libtorch's OpenMP threads busy-wait between
 * operations by default, and when the cores are shared (CI, a second process, ONNX Runtime's own
 * pool) that turns a 0.3 s forward pass into 14 s. OpenMP reads the policy once, when it loads,
 * so it is set here (unless the user chose a policy) before the first tensor is created.
 */
public final class NativeRuntime {
  private static volatile boolean done;

  private NativeRuntime() {}

  /** The C library's {@code setenv}. */
  private interface LibC extends Library {
    int setenv(String name, String value, int overwrite);
  }

  public static void init() {
    if (done) {
      return;
    }
    synchronized (NativeRuntime.class) {
      if (done) {
        return;
      }
      dev.nas.core.run.IntraOpThreads.applyDefault();
      if (ai.djl.util.Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH") == null
          && ai.djl.util.Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR") == null) {
        // a CUDA build on a machine without a GPU: run its CPU kernels instead of letting DJL
        // look for a CPU build online
        BundledLibTorch.find().filter(BundledLibTorch::cuda)
            .filter(b -> ai.djl.util.cuda.CudaUtils.getGpuCount() == 0).ifPresent(BundledLibTorch::pinForCpu);
      }
      try {
        LibC c = Native.load("c", LibC.class);
        c.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        c.setenv("TORCH_CPP_LOG_LEVEL", "ERROR", 0);
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // not fatal: only speed under contention suffers; the launcher sets the variables too
      }
      done = true;
    }
  }
}
