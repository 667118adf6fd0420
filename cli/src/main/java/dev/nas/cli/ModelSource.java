package dev.nas.cli;

import dev.nas.core.cost.CostCounter;
import dev.nas.core.cost.CostReport;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.derive.NetworkBuilder;
import dev.nas.derive.NetworkFolder;
import dev.nas.derive.NetworkSpec;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.runtime.onnx.OnnxCostCounter;
import dev.nas.runtime.onnx.OnnxModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.Options;

/**
 * The model a command works on: a network folder ({@code --net}) or an ONNX file ({@code --model}).
 * A network folder is exported to a temporary ONNX file when an ONNX Runtime measurement needs one.
 */
final class ModelSource implements AutoCloseable {
  private final NetworkFolder net;
  private final Path onnx;
  private Path tempDir;

  private ModelSource(NetworkFolder net, Path onnx) {
    this.net = net;
    this.onnx = onnx;
  }

  static void addOptions(Options o) {
    o.addOption(Command.opt("net", "NET", "network folder (from nas derive / nas train)"));
    o.addOption(Command.opt("model", "FILE", "ONNX model file"));
  }

  static ModelSource of(Args a) throws IOException {
    if (a.has("net") == a.has("model")) {
      throw new UsageException("give exactly one of --net NET or --model FILE.onnx");
    }
    if (a.has("net")) {
      return new ModelSource(NetworkFolder.read(a.path("net")), null);
    }
    Path m = a.path("model");
    if (!Files.isRegularFile(m)) {
      throw new IOException("ONNX model " + m + " does not exist");
    }
    return new ModelSource(null, m);
  }

  boolean isNetwork() {
    return net != null;
  }

  NetworkFolder network() {
    if (net == null) {
      throw new UsageException("this needs --net (a network folder), not an ONNX file");
    }
    return net;
  }

  String name() {
    return net != null ? net.dir().toString() : onnx.toString();
  }

  /**
   * The model's sample rank ({@link FeatureShape#IMAGE} or {@link FeatureShape#CLIP}): how
   * {@code --input} is read (see {@link FeatureShape#parse(String, int)}).
   */
  int inputRank() throws IOException {
    if (net != null) {
      return net.spec().macro().input().rank();
    }
    int rank = OnnxModelInfo.read(onnx).input().dims().size() - 2;
    if (rank != FeatureShape.IMAGE && rank != FeatureShape.CLIP) {
      throw new UsageException(onnx + " takes a " + (rank + 2) + "-D input; --input applies to image (NxCxHxW) and "
          + "clip (NxCxTxHxW) models");
    }
    return rank;
  }

  /** {@code --input} read at this model's rank; null when it is not given. */
  FeatureShape input(Args a) throws IOException {
    return a.has("input") ? a.shape("input", inputRank()) : null;
  }

  /** Cost at {@code input} (null: the model's own input size). */
  CostReport cost(FeatureShape input) throws IOException {
    if (net != null) {
      NetworkSpec spec = net.spec();
      if (input != null) {
        MacroConfig m = spec.macro();
        if (input.channels() != m.input().channels()) {
          throw new UsageException("--input " + input + " has " + input.channels() + " channels; the network takes "
              + m.input().channels());
        }
        try {
          spec = spec.withMacro(m.withInput(input));
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage());
        }
      }
      return CostCounter.count(NetworkBuilder.build(spec), name());
    }
    return input == null ? OnnxCostCounter.count(onnx) : OnnxCostCounter.count(onnx, input);
  }

  /** An ONNX file of the model, exported to a temporary folder for a network folder. */
  Path onnx() throws IOException {
    if (onnx != null) {
      return onnx;
    }
    if (tempDir == null) {
      dev.nas.core.io.ProcessFolders.removeAbandoned(Path.of(System.getProperty("java.io.tmpdir")), TEMP_PREFIX);
      tempDir = Files.createTempDirectory(dev.nas.core.io.ProcessFolders.prefix(TEMP_PREFIX));
    }
    Path f = tempDir.resolve("model.onnx");
    if (!Files.exists(f)) {
      OnnxFiles.write(f, OnnxExporter.export(net.spec(), net.graph(), net.weights()));
    }
    return f;
  }

  /** Temporary export folders are named {@code nas-export-PID-RANDOM}. */
  private static final String TEMP_PREFIX = "nas-export-";

  @Override
  public void close() throws IOException {
    if (tempDir != null) {
      dev.nas.core.io.ProcessFolders.deleteTree(tempDir);
    }
  }
}
