package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.io.Json;
import dev.nas.core.io.SafeTensors;
import dev.nas.core.io.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bit-for-bit reference outputs of few-step searches (one per algorithm), an SDAS decision
 * sequence, a CDARTS run and a trained network, so that a refactor of the search engine is shown
 * to keep behaviour. The references live in {@code src/test/resources/reference/<cpu>/}, one folder
 * per CPU kind they were recorded on ({@link #cpuModel}, as a file name): they were recorded with
 * a fixed seed on CPU with one libtorch thread, and libtorch picks its kernels by CPU, so they are
 * compared only on the CPU kind they were recorded on (the test says so when it skips, naming the
 * kinds it has). Each reference key must be present and equal in the new output; new keys may
 * appear. A new machine kind gets its folder by recording with the code of a commit whose
 * references pass elsewhere, in a commit of its own.
 *
 * <p>Recording: {@code mvn -pl cli -am test -Dtest=ReferenceOutputsTest -Dnas.recordReference=true
 * -Dsurefire.failIfNoSpecifiedTests=false} writes the files into the source tree. Change a
 * reference only in a commit of its own that says why.
 */
class ReferenceOutputsTest {
  private static final Path REFERENCE = Path.of("src/test/resources/reference");

  private static final List<String> COMMON = List.of("--input", "3x8x8", "--classes", "3", "--train-samples", "64",
      "--epochs", "2", "--layers", "3", "--channels", "4", "--batch", "16", "--seed", "5");

  private static List<String> searchArgs(String name) {
    return switch (name) {
      case "darts", "darts2", "das", "pvnas" -> List.of("--algo", name);
      case "sdas-c" -> List.of("--algo", "sdas-c", "--space", "o2d", "--arch-lr", "0.01");
      case "cdarts" -> List.of("--algo", "cdarts", "--enet-layers", "4", "--enet-channels", "4");
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"darts", "darts2", "das", "sdas-c", "pvnas", "cdarts"})
  void searchReproducesItsReference(String name, @TempDir Path tmp) throws IOException {
    Path run = tmp.resolve("run");
    List<String> args = new ArrayList<>(List.of("search"));
    args.addAll(searchArgs(name));
    args.addAll(COMMON);
    args.addAll(List.of("--out", run.toString()));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertEquals(0, r.status(), r.toString());
    ObjectNode got = Json.MAPPER.createObjectNode();
    got.set("history", stripTimes(Json.MAPPER.readTree(run.resolve("history.json").toFile())));
    if (Files.exists(run.resolve("alphas.json"))) {
      got.set("alphas", Json.MAPPER.readTree(run.resolve("alphas.json").toFile()));
    }
    got.set("genotype", Json.MAPPER.readTree(run.resolve("genotype.json").toFile()));
    if (Files.exists(run.resolve("checkpoint.safetensors"))) {
      got.put("checkpointSha256", tensorDigest(run.resolve("checkpoint.safetensors")));
    }
    compareOrRecord("search-" + name + ".json", got);
  }

  @ParameterizedTest
  @ValueSource(strings = {"train"})
  void trainingReproducesItsReference(String name, @TempDir Path tmp) throws IOException {
    Path net = tmp.resolve("net");
    CliRunner d = CliRunner.run("derive", "--genotype", "DARTS_V2", "--channels", "4", "--layers", "3", "--classes",
        "3", "--input", "3x8x8", "--seed", "3", "--out", net.toString());
    assertEquals(0, d.status(), d.toString());
    Path trained = tmp.resolve("trained");
    CliRunner t = CliRunner.run("train", "--net", net.toString(), "--input", "3x8x8", "--classes", "3",
        "--train-samples", "64", "--test-samples", "32", "--epochs", "2", "--batch", "16", "--drop-path", "0.2",
        "--seed", "4", "--out", trained.toString());
    assertEquals(0, t.status(), t.toString());
    ObjectNode got = Json.MAPPER.createObjectNode();
    try (Stream<Path> files = Files.list(trained)) {
      for (Path f : files.sorted().toList()) {
        if (f.toString().endsWith(".safetensors")) {
          got.put(f.getFileName() + ".sha256", tensorDigest(f));
        }
      }
    }
    compareOrRecord(name + ".json", got);
  }

  /** The folder of this CPU kind's references. */
  static Path referenceFolder() {
    return REFERENCE.resolve(cpuModel().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-|-$", ""));
  }

  private static void compareOrRecord(String file, JsonNode got) throws IOException {
    Path folder = referenceFolder();
    Path ref = folder.resolve(file);
    if (Boolean.getBoolean("nas.recordReference")) {
      ObjectNode out = Json.MAPPER.createObjectNode();
      out.put("cpu", cpuModel());
      out.put("threads", threads());
      out.set("outputs", got);
      Files.createDirectories(folder);
      Files.writeString(ref, Json.write(out));
      return;
    }
    if (!Files.isDirectory(folder)) {
      List<String> kinds;
      try (var dirs = Files.list(REFERENCE)) {
        kinds = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
      }
      assumeTrue(false, "no references for this CPU kind '" + cpuModel() + "' (libtorch's kernels differ by CPU);"
          + " recorded kinds: " + kinds);
    }
    // a deliberate change of one output removes its stale references on the kinds it could not re-record
    assumeTrue(Files.exists(ref), "no reference " + ref + " on this CPU kind (record it: see the class comment)");
    JsonNode stored = Json.MAPPER.readTree(ref.toFile());
    assumeTrue(stored.get("cpu").asText().equals(cpuModel()), "reference recorded on '"
        + stored.get("cpu").asText() + "', this CPU is '" + cpuModel() + "': libtorch's kernels differ by CPU");
    assumeTrue(stored.get("threads").asInt() == threads(), "reference recorded with " + stored.get("threads")
        + " libtorch threads, this run uses " + threads());
    List<String> diffs = new ArrayList<>();
    diff("", stored.get("outputs"), got, diffs);
    assertTrue(diffs.isEmpty(), file + " differs from its reference:\n" + String.join("\n",
        diffs.subList(0, Math.min(20, diffs.size()))));
  }

  /** Every value of {@code ref} must be present and equal (numbers by their exact value) in {@code got}. */
  private static void diff(String path, JsonNode ref, JsonNode got, List<String> out) {
    if (got == null || got.isMissingNode()) {
      out.add(path + ": missing");
    } else if (ref.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = ref.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        diff(path + "." + e.getKey(), e.getValue(), got.get(e.getKey()), out);
      }
    } else if (ref.isArray()) {
      if (!got.isArray() || got.size() != ref.size()) {
        out.add(path + ": " + ref.size() + " elements vs " + got.size());
        return;
      }
      for (int i = 0; i < ref.size(); i++) {
        diff(path + "[" + i + "]", ref.get(i), got.get(i), out);
      }
    } else if (ref.isNumber() ? !(got.isNumber() && ref.decimalValue().compareTo(got.decimalValue()) == 0)
        : !ref.equals(got)) {
      out.add(path + ": " + ref + " vs " + got);
    }
  }

  /** History records without wall-clock fields (seconds, times), which no two runs share. */
  private static JsonNode stripTimes(JsonNode history) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (JsonNode rec : history) {
      ObjectNode o = rec.deepCopy();
      List<String> drop = new ArrayList<>();
      o.fieldNames().forEachRemaining(k -> {
        String l = k.toLowerCase(java.util.Locale.ROOT);
        if (l.contains("second") || l.contains("time") || l.endsWith("ms")) {
          drop.add(k);
        }
      });
      o.remove(drop);
      out.add(o);
    }
    return out;
  }

  /** SHA-256 over every tensor's name, shape and float bits, in name order. */
  private static String tensorDigest(Path file) throws IOException {
    Map<String, Tensor> tensors = new TreeMap<>(SafeTensors.read(file));
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update(e.getValue().shape().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        float[] d = e.getValue().data();
        ByteBuffer b = ByteBuffer.allocate(4 * d.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(d);
        md.update(b);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int threads() {
    return Nas.threads();
  }

  /**
   * The CPU as libtorch's kernel choice sees it: the model name alone is not enough (virtual
   * machines report "AMD EPYC" for several generations, which pick different kernels), so family,
   * model, stepping and the vector extensions that select kernels are part of it.
   */
  static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      String name = field(lines, "model name");
      Set<String> flags = new TreeSet<>(List.of(field(lines, "flags").split("\\s+")));
      flags.retainAll(KERNEL_FLAGS);
      return name + " (family " + field(lines, "cpu family") + " model " + field(lines, "model") + " stepping "
          + field(lines, "stepping") + "; " + String.join(" ", flags) + ")";
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }

  private static final Set<String> KERNEL_FLAGS = Set.of("avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
      "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_bf16", "amx_int8", "amx_tile");

  private static String field(List<String> lines, String key) {
    return lines.stream().filter(l -> l.startsWith(key) && l.substring(0, l.indexOf(':')).trim().equals(key))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
  }
}
