package dev.nas.derive;

import dev.nas.core.graph.Graph;
import dev.nas.core.graph.NamedParam;
import dev.nas.core.io.AtomicFiles;
import dev.nas.core.io.Json;
import dev.nas.core.io.SafeTensors;
import dev.nas.core.io.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /** Weights metadata: the SHA-256 of the {@code network.json} written with them. */
  static final String SPEC_CHECKSUM = "network_sha256";

  /**
   * Writes spec and weights. A new (or empty) folder is published whole: both files are written
   * into a hidden staging folder beside it, which one rename turns into {@code dir}. Into a
   * folder that already holds files, each file is written atomically, weights first; the weights
   * carry the checksum of the spec written with them, so a write interrupted between the two
   * renames (new weights beside an old {@code network.json}) is refused on load instead of
   * pairing mismatched files.
   */
  public static void write(Path dir, NetworkSpec spec, Map<String, Tensor> weights) throws IOException {
    check(NetworkBuilder.build(spec), weights, dir);
    Path parent = dir.toAbsolutePath().getParent();
    boolean fresh = !Files.exists(dir) || (Files.isDirectory(dir) && isEmpty(dir));
    if (!fresh || parent == null) {
      Files.createDirectories(dir);
      writeFiles(dir, spec, weights);
      return;
    }
    Files.createDirectories(parent);
    String staging = ".staging-";
    dev.nas.core.io.ProcessFolders.removeAbandoned(parent, staging);
    Path tmp = Files.createTempDirectory(parent, dev.nas.core.io.ProcessFolders.prefix(staging) + dir.getFileName() + "-");
    try {
      writeFiles(tmp, spec, weights);
      // rename(2) replaces an empty folder, so an empty target made by the caller is fine
      Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      dev.nas.core.io.ProcessFolders.deleteTree(tmp);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void writeFiles(Path dir, NetworkSpec spec, Map<String, Tensor> weights) throws IOException {
    String json = spec.toJson();
    Map<String, String> meta = new LinkedHashMap<>();
    if (spec.genotype() == null) {
      meta.put("macro", spec.macro().kind().id());
    } else {
      meta.put("genotype", spec.genotype().describe());
    }
    meta.put(SPEC_CHECKSUM, sha256(json.getBytes(StandardCharsets.UTF_8)));
    SafeTensors.write(dir.resolve(WEIGHTS), weights, meta);
    AtomicFiles.writeString(dir.resolve(SPEC), json);
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
    if (Files.size(specFile) > MAX_SPEC_BYTES) {
      throw new IOException(specFile + " is " + Files.size(specFile) + " bytes; a network.json is at most "
          + MAX_SPEC_BYTES + " bytes");
    }
    byte[] specBytes = Files.readAllBytes(specFile);
    NetworkSpec spec;
    try {
      spec = NetworkSpec.fromTree(Json.MAPPER.readTree(specBytes));
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new IOException(specFile + " is damaged: " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage().lines().findFirst().orElse("")), e);
    }
    Path w = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(w)) {
      throw new IOException(dir + " has no " + WEIGHTS + "; derive or train the network first");
    }
    Map<String, Tensor> weights = SafeTensors.read(w);
    String expected = SafeTensors.metadata(w).get(SPEC_CHECKSUM);
    if (expected != null && !expected.equals(sha256(specBytes))) {
      throw new IOException(dir + ": " + SPEC + " and " + WEIGHTS + " were not written together (an interrupted "
          + "write, or one of them was edited or copied from another network); derive or train the network again");
    }
    check(NetworkBuilder.build(spec), weights, dir);
    return new NetworkFolder(dir, spec, weights);
  }

  /** A network.json is a few KB; anything far larger is not one. */
  static final long MAX_SPEC_BYTES = 1 << 20;

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks SHA-256", e);
    }
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
