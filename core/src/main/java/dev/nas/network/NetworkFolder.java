package dev.nas.network;

import dev.nas.graph.Graph;
import dev.nas.graph.NamedParam;
import dev.nas.io.AtomicFiles;
import dev.nas.io.Json;
import dev.nas.io.SafeTensors;
import dev.nas.io.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A static network on disk: {@code network.json} (the {@link NetworkSpec}) and
 * {@code weights.safetensors} (every tensor of the graph, auxiliary head included, keyed by name).
 */
public record NetworkFolder(Path dir, NetworkSpec spec, Map<String, Tensor> weights) {
  public static final String SPEC = "network.json";
  public static final String WEIGHTS = "weights.safetensors";

  /** Writes spec and weights (each file atomically). */
  public static void write(Path dir, NetworkSpec spec, Map<String, Tensor> weights) throws IOException {
    Files.createDirectories(dir);
    check(NetworkBuilder.build(spec), weights, dir);
    SafeTensors.write(dir.resolve(WEIGHTS), weights, spec.genotype() == null ? Map.of("macro", spec.macro().kind().id())
        : Map.of("genotype", spec.genotype().toPythonString()));
    AtomicFiles.writeString(dir.resolve(SPEC), spec.toJson());
  }

  /** Reads a network folder; fails with one clear message when a file is missing, corrupt or does not fit. */
  public static NetworkFolder read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("network folder " + dir + " does not exist");
    }
    Path specFile = dir.resolve(SPEC);
    if (!Files.isRegularFile(specFile)) {
      throw new IOException(dir + " is not a network folder (" + SPEC + " is missing)");
    }
    NetworkSpec spec;
    try {
      spec = NetworkSpec.fromTree(Json.MAPPER.readTree(specFile.toFile()));
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(specFile + ": " + e.getMessage(), e);
    }
    Path w = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(w)) {
      throw new IOException(dir + " has no " + WEIGHTS + "; derive or train the network first");
    }
    Map<String, Tensor> weights = SafeTensors.read(w);
    check(NetworkBuilder.build(spec), weights, dir);
    return new NetworkFolder(dir, spec, weights);
  }

  /** The network's graph. */
  public Graph graph() {
    return NetworkBuilder.build(spec);
  }

  /** Weights of the inference path only (what export needs). */
  public Map<String, Tensor> inferenceWeights() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (NamedParam p : graph().inferenceParams()) {
      out.put(p.name(), weights.get(p.name()));
    }
    return out;
  }

  private static void check(Graph g, Map<String, Tensor> weights, Path where) throws IOException {
    List<String> problems = new ArrayList<>();
    for (NamedParam p : g.params()) {
      Tensor t = weights.get(p.name());
      if (t == null) {
        problems.add("missing " + p.name());
      } else if (!t.shape().equals(p.spec().shape())) {
        problems.add(p.name() + " has shape " + t.shape() + ", the network needs " + p.spec().shape());
      }
      if (problems.size() >= 3) {
        break;
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException("weights in " + where + " do not fit its network.json: " + String.join("; ", problems));
    }
  }
}
