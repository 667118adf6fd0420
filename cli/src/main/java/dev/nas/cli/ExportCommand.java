package dev.nas.cli;

import dev.nas.cost.CostReport;
import dev.nas.export.onnx.OnnxExporter;
import dev.nas.export.onnx.OnnxFiles;
import dev.nas.network.NetworkFolder;
import dev.nas.runtime.onnx.OnnxCostCounter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.Options;

/** {@code nas export}: a network folder → ONNX. */
final class ExportCommand extends Command {
  static final List<String> FORMATS = List.of("onnx", "triton");

  String name() {
    return "export";
  }

  String summary() {
    return "export a network with its weights to ONNX (opset 17, dynamic batch, normalisation inside), or add a "
        + "model to a Triton model repository";
  }

  String examples() {
    return "nas export --net nets/fm-trained --format onnx --out fm.onnx\n"
        + "nas export --model fm.onnx --format triton --repo models --name fm --max-batch 32";
  }

  Options options() {
    Options o = common(new Options());
    ModelSource.addOptions(o);
    o.addOption(opt("format", "F", "onnx (default, needs --net), triton (a model repository entry)"));
    o.addOption(opt("out", "FILE", "onnx: output file (required)"));
    TritonExport.addOptions(o);
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    String format = a.str("format", "onnx").toLowerCase(java.util.Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new UsageException("--format " + format + " is not supported by this build (supported: " + FORMATS + ")");
    }
    if (format.equals("triton")) {
      return TritonExport.run(a, out);
    }
    if (!a.has("net")) {
      throw new UsageException("--format onnx needs --net NET (a network folder)");
    }
    NetworkFolder net = NetworkFolder.read(a.path("net"));
    Path file = a.path("out");
    if (!Boolean.TRUE.equals(net.spec().info().get("trained"))) {
      System.err.println("warning: " + net.dir() + " has not been trained (nas train); exporting its initial weights");
    }
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    OnnxFiles.write(file, OnnxExporter.export(net.spec(), net.graph(), net.weights()));
    CostReport cost = OnnxCostCounter.count(file);
    out.printf("wrote %s (%,d bytes): input %s, opset %d, params %s, MACs %s%n", file, Files.size(file),
        "Nx" + net.spec().macro().input(), OnnxExporter.OPSET, CostReport.human(cost.params()),
        CostReport.human(cost.macs()));
    return 0;
  }
}
