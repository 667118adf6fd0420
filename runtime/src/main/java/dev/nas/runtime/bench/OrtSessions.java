package dev.nas.runtime.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens ONNX Runtime sessions the one way nas runs models (benchmarks and the model server alike):
 * all graph optimisations, sequential execution with one inter-op thread, the given intra-op
 * threads, and clear errors for missing, unreadable or invalid files.
 */
public final class OrtSessions {
  private OrtSessions() {}

  /**
   * Opens {@code onnx}.
   *
   * @param yieldingThreads intra-op threads wait without spinning, leaving the cores to other work
   *     between operators (as a server's HTTP threads and other workers need; spinning threads do to
   *     them what OpenMP's busy-wait does to libtorch, see BENCHMARKS.md)
   * @throws NoSuchFileException if there is no file at {@code onnx}
   * @throws IOException if it is not a model ONNX Runtime can load with {@code provider}
   */
  public static OrtSession open(Path onnx, int intraOpThreads, ExecutionProvider provider, boolean yieldingThreads)
      throws IOException {
    if (intraOpThreads <= 0) {
      throw new IllegalArgumentException("intra-op threads must be positive, got " + intraOpThreads);
    }
    // Checked up front because ONNX Runtime reports a missing file as a generic load failure.
    if (!Files.exists(onnx)) {
      throw new NoSuchFileException(onnx.toString(), null, "ONNX model not found");
    }
    if (!Files.isRegularFile(onnx)) {
      throw new IOException("cannot load ONNX model " + onnx + ": not a regular file");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    // The session copies what it needs from its options, so they can be released right away.
    try (SessionOptions options = new SessionOptions()) {
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setInterOpNumThreads(1);
      options.setIntraOpNumThreads(intraOpThreads);
      if (yieldingThreads && intraOpThreads > 1) {
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
      }
      provider.addTo(options);
      return env.createSession(onnx.toString(), options);
    } catch (OrtException e) {
      if (provider.isGpu()) {
        throw new IOException("cannot load ONNX model " + onnx + " on ONNX Runtime " + env.getVersion() + " with its "
            + provider.label() + " execution provider (" + String.valueOf(e.getMessage()).trim() + ")", e);
      }
      throw new IOException("cannot load ONNX model " + onnx + ": not a valid ONNX model or unsupported by "
          + "ONNX Runtime " + env.getVersion() + " (" + String.valueOf(e.getMessage()).trim() + ")", e);
    }
  }
}
