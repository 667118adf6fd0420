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
  static final List<String> FORMATS = List.of("onnx");

  String name() {
    return "export";
  }

  String summary() {
    return "export a network with its weights to ONNX (opset 17, dynamic batch, normalisation inside)";
  }

  String examples() {
    return "nas export --net nets/fm-trained --format onnx --out fm.onnx";
  }

  Options options() {
    Options o = common(new Options());
    o.addOption(opt("net", "NET", "network folder (required)"));
    o.addOption(opt("format", "F", "onnx (default)"));
    o.addOption(opt("out", "FILE", "output file (required)"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    String format = a.str("format", "onnx").toLowerCase(java.util.Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new UsageException("--format " + format + " is not supported by this build (supported: " + FORMATS + ")");
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
