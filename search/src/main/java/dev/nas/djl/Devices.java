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
        throw new IllegalStateException("--device gpu: no CUDA GPU is visible to libtorch ("
            + engine.getVersion() + " CPU build loaded). Build with -Pcuda on a machine with an NVIDIA GPU and driver,"
            + " or use --device cpu.");
      }
      if (id >= gpus) {
        throw new IllegalStateException("--device " + name + ": only " + gpus + " GPU(s) visible");
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException("unknown device '" + name + "' (use cpu or gpu)");
  }
}
