package dev.nas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Chooses where tensors live; asking for a GPU that is not there fails at once with the reason. */
public final class Devices {
  private Devices() {}

  /** {@code cpu} or {@code gpu}/{@code gpu:N}. */
  public static Device parse(String name) {
    NativeRuntime.init();
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("cpu")) {
      return Device.cpu();
    }
    if (n.startsWith("gpu") || n.startsWith("cuda")) {
      int id = n.contains(":") ? Integer.parseInt(n.substring(n.indexOf(':') + 1)) : 0;
      Engine engine = Engine.getEngine("PyTorch");
      int gpus = engine.getGpuCount();
      if (gpus == 0) {
        throw new IllegalStateException("--device gpu: no CUDA GPU is visible to libtorch " + engine.getVersion()
            + " (" + loadedBuild() + "); " + CudaDriver.probe().describe() + ". Use --device cpu, or see the README's"
            + " 'GPU' section.");
      }
      if (id >= gpus) {
        throw new IllegalStateException("--device " + name + ": only " + gpus + " GPU(s) visible");
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException("unknown device '" + name + "' (use cpu or gpu)");
  }

  /** Which libtorch build was loaded, in words. */
  private static String loadedBuild() {
    String override = ai.djl.util.Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
    if (override != null) {
      return "libtorch from PYTORCH_LIBRARY_PATH=" + override;
    }
    return BundledLibTorch.find().map(b -> b.cuda()
        ? "the bundled CUDA build, " + b.flavor() + ", running on the CPU"
        : "the bundled CPU build: rebuild with 'mvn -Pcuda -DskipTests package' for GPUs").orElse("unknown build");
  }
}
