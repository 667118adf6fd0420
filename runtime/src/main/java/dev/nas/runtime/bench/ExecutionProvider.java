package dev.nas.runtime.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.gpu.GpuUnavailableException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where ONNX Runtime runs a model: on the CPU, or on CUDA device 0 through its CUDA or TensorRT
 * execution provider. Nodes a GPU provider does not take run on the CPU, as ONNX Runtime assigns
 * them; the TensorRT provider has CUDA behind it for the nodes TensorRT rejects.
 */
public enum ExecutionProvider {
  CPU("ort", "CPU", null),
  CUDA("ort-cuda", "CUDA", OrtProvider.CUDA),
  TENSORRT("ort-trt", "TensorRT", OrtProvider.TENSOR_RT);

  private static final String MACHINE = "an NVIDIA GPU and driver, the CUDA 12 and cuDNN 9 libraries";

  private final String runtime;
  private final String label;
  private final OrtProvider provider;

  ExecutionProvider(String runtime, String label, OrtProvider provider) {
    this.runtime = runtime;
    this.label = label;
    this.provider = provider;
  }

  /** The runtime name of benchmark results, e.g. {@code ort-cuda}. */
  public String runtime() {
    return runtime;
  }

  /** The provider's name in messages and reports, e.g. {@code CUDA}. */
  public String label() {
    return label;
  }

  public boolean isGpu() {
    return provider != null;
  }

  /** The provider whose {@link #runtime()} name is {@code name}. */
  public static Optional<ExecutionProvider> ofRuntime(String name) {
    return Arrays.stream(values()).filter(p -> p.runtime.equals(name)).findFirst();
  }

  /**
   * Checks that this build's ONNX Runtime has the provider at all, which needs no GPU; a command
   * running several runtimes calls it before measuring any.
   *
   * @throws GpuUnavailableException if it does not
   */
  public void requireInBuild() {
    if (isGpu() && !inBuild()) {
      throw unavailable(null, false);
    }
  }

  private boolean inBuild() {
    OrtEnvironment.getEnvironment(); // loads ONNX Runtime, which lists its providers
    return OrtEnvironment.getAvailableProviders().contains(provider);
  }

  /**
   * Appends this provider to {@code options} (nothing for the CPU, which is always there).
   *
   * @throws GpuUnavailableException if ONNX Runtime cannot start the provider: not in this build,
   *     or the machine lacks what it needs
   */
  void addTo(SessionOptions options) {
    try {
      switch (this) {
        case CPU -> { }
        case CUDA -> options.addCUDA(0);
        case TENSORRT -> {
          options.addTensorrt(0);
          options.addCUDA(0);
        }
      }
    } catch (OrtException e) {
      throw unavailable(e.getMessage(), inBuild());
    }
  }

  /**
   * The error for a provider ONNX Runtime could not start.
   *
   * @param ortMessage what ONNX Runtime said
   * @param inBuild whether this build's ONNX Runtime has the provider at all
   */
  GpuUnavailableException unavailable(String ortMessage, boolean inBuild) {
    String needs = MACHINE + (this == TENSORRT ? " and TensorRT 10" : "");
    if (!inBuild) {
      return new GpuUnavailableException("ONNX Runtime's " + label + " execution provider is not in this build "
          + "(the default build bundles the CPU-only ONNX Runtime): rebuild with 'mvn -Pcuda package', which uses "
          + "onnxruntime_gpu, and run on a machine with " + needs);
    }
    Gpu.Probe probe = Gpu.probe();
    return new GpuUnavailableException("ONNX Runtime could not start its " + label + " execution provider ("
        + String.valueOf(ortMessage).strip() + ")" + (probe.ok() ? "" : ": " + probe.reason())
        + "; it needs " + needs + " on the library path");
  }
}
