package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.io.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile inputs, generated here (no binaries are committed): absurd or repeated
 * options, genotypes nested or sized to exhaust the stack or heap, damaged network folders and
 * search folders. Every case must exit with its status and one clear message, without a stack
 * trace or a bare Java exception name, within a generous time.
 */
class HostileInputTest {
  /** Generous: every case is refused before any real work, in well under a second on a fast machine. */
  private static final long BOUND_MS = 20_000;

  @TempDir
  static Path dir;
  static Path net;

  @BeforeAll
  static void derive() {
    net = CliRunner.tinyNet(dir.resolve("net"));
  }

  private record Case(String name, int status, String expected, String... args) {}

  private static DynamicTest check(Case c) {
    return DynamicTest.dynamicTest(c.name(), () -> {
      long start = System.nanoTime();
      CliRunner r = CliRunner.run(c.args());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(c.status(), r.status(), r.toString());
      assertTrue(r.err().contains(c.expected()), "expected '" + c.expected() + "' in " + r);
      assertFalse(r.err().contains("\tat ") || r.err().contains("Exception") || r.err().contains("Error:"),
          "no stack trace or bare exception: " + r);
      long messages = r.err().lines().filter(l -> l.startsWith("nas ") && !l.startsWith("nas " + c.args()[0]
          + " --help")).filter(l -> !l.contains("for the options")).count();
      assertEquals(1, messages, "one message: " + r);
      assertTrue(ms < BOUND_MS, c.name() + " took " + ms + " ms");
    });
  }

  @TestFactory
  Stream<DynamicTest> unusableCommandLines() throws IOException {
    String s = dir.resolve("s").toString();
    Path file = Files.writeString(dir.resolve("afile"), "x");
    return Stream.of(
        new Case("repeated option", 2, "--batch is given more than once", "search", "--batch", "32", "--batch", "0",
            "--out", s),
        new Case("negative stop-after", 2, "--stop-after must be positive", "search", "--stop-after", "-1", "--out",
            s),
        new Case("zero train samples", 2, "--train-samples must be positive", "search", "--train-samples", "0",
            "--out", s),
        new Case("zero batch", 2, "--batch must be positive", "search", "--batch", "0", "--out", s),
        new Case("zero input size", 2, "must be positive", "search", "--input", "3x0x16", "--out", s),
        new Case("huge input", 2, "at most 16384 per dimension", "search", "--input", "3x100000x16", "--out", s),
        new Case("NaN learning rate", 2, "--lr expects a finite number", "search", "--lr", "NaN", "--out", s),
        new Case("train portion 1", 2, "--train-portion must be below 1", "search", "--train-portion", "1", "--out",
            s),
        new Case("layers 100000 on search", 2, "--layers must be at most 1000", "search", "--layers", "100000",
            "--out", s),
        new Case("layers 100000 on derive", 2, "--layers must be at most 1000", "derive", "--genotype", "DARTS_V2",
            "--layers", "100000", "--out", s),
        new Case("channels 100000", 2, "--channels must be at most 1024", "derive", "--genotype", "DARTS_V2",
            "--channels", "100000", "--out", s),
        new Case("classes 2^31-1", 2, "--classes must be at most 100000", "derive", "--genotype", "DARTS_V2",
            "--classes", "2147483647", "--out", s),
        new Case("classes beyond a long", 2, "--classes must be at most 100000", "derive", "--genotype", "DARTS_V2",
            "--classes", "99999999999999999999999", "--out", s),
        new Case("threads 0", 2, "--threads must be positive", "flops", "--net", net.toString(), "--threads", "0"),
        new Case("bench batch list", 2, "--batch must be positive", "bench", "--net", net.toString(), "--batch",
            "1,0"),
        new Case("port", 2, "--port must be at most 65535", "serve", "--model", "m.onnx", "--port", "70000"),
        new Case("weights beyond the heap", 2, "more than the", "derive", "--genotype", "DARTS_V2", "--layers", "1000",
            "--channels", "1024", "--out", s),
        new Case("--out names a file", 2, "is an existing file", "derive", "--genotype", "DARTS_V2", "--out",
            file.toString()),
        new Case("--out names a folder", 2, "is an existing folder", "visualize", "--genotype", "DARTS_V2", "--out",
            dir.toString()))
        .map(HostileInputTest::check);
  }

  @TestFactory
  Stream<DynamicTest> hostileGenotypes() throws IOException {
    Path deepJson = Files.writeString(dir.resolve("deep.json"),
        "{\"cells\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}");
    Path deepPython = Files.writeString(dir.resolve("deep.txt"), "Genotype(normal=" + "[".repeat(200_000));
    StringBuilder big = new StringBuilder("{\"format\": \"nas-genotype\", \"cells\": {\"normal\": {\"nodes\": [");
    for (int i = 0; i < 40_000; i++) {
      big.append(i == 0 ? "" : ",").append("[{\"op\": \"skip_connect\", \"input\": 0}]");
    }
    Path huge = Files.writeString(dir.resolve("huge.json"), big.append("]}}}").toString());
    StringBuilder many = new StringBuilder("Genotype(normal=[");
    for (int i = 0; i < 100; i++) {
      many.append(i == 0 ? "" : ", ").append("('skip_connect', 0), ('skip_connect', 1)");
    }
    String manyNodes = many.append("], normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], "
        + "reduce_concat=[2])").toString();
    String out = dir.resolve("g").toString();
    return Stream.of(
        new Case("JSON nested 200000 deep", 1, "nested more than 16 levels", "derive", "--genotype",
            deepJson.toString(), "--out", out),
        new Case("Python form nested 200000 deep", 1, "nested more than 8 levels", "visualize", "--genotype",
            deepPython.toString(), "--out", dir.resolve("g.svg").toString()),
        new Case("range of 2e9 states", 1, "range(0, 2000000000) lists", "derive", "--genotype",
            "Genotype(normal=[('skip_connect', 0), ('skip_connect', 1)], normal_concat=range(0, 2000000000), "
                + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])", "--out", out),
        new Case("genotype file over 1 MiB", 1, "a genotype is at most", "derive", "--genotype", huge.toString(),
            "--out", out),
        new Case("more nodes than the space", 1, "have at most 4", "derive", "--genotype", manyNodes, "--out", out))
        .map(HostileInputTest::check);
  }

  /** A copy of the derived network folder with {@code weights.safetensors} replaced by {@code bytes}. */
  private static Path withWeights(String name, byte[] bytes) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.copy(net.resolve("network.json"), d.resolve("network.json"));
    Files.write(d.resolve("weights.safetensors"), bytes);
    return d;
  }

  private static byte[] header(String json, int dataBytes) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  @TestFactory
  Stream<DynamicTest> damagedNetworkFolders() throws IOException {
    byte[] good = Files.readAllBytes(net.resolve("weights.safetensors"));
    byte[] flipped = good.clone();
    flipped[flipped.length - 5] ^= 0x01;
    List<Case> cases = new ArrayList<>(List.of(
        new Case("empty weights", 1, "not a safetensors file", "flops", "--net",
            withWeights("w-empty", new byte[0]).toString()),
        new Case("header length beyond the file", 1, "is not a safetensors file or is truncated", "flops", "--net",
            withWeights("w-len", ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putLong(1000)
                .put((byte) '{').put((byte) '}').array()).toString()),
        new Case("header not JSON", 1, "corrupt safetensors header", "export", "--net",
            withWeights("w-json", header("{{{{", 100)).toString(), "--out", dir.resolve("x.onnx").toString()),
        new Case("offsets beyond the data", 1, "truncated or corrupt at tensor", "export", "--net",
            withWeights("w-off", header("{\"w\": {\"dtype\": \"F32\", \"shape\": [99562], \"data_offsets\": [8, "
                + "398256]}}", 100)).toString(), "--out", dir.resolve("x.onnx").toString()),
        new Case("negative shape", 1, "invalid dimension", "export", "--net",
            withWeights("w-neg", header("{\"w\": {\"dtype\": \"F32\", \"shape\": [-4], \"data_offsets\": [0, 16]}}",
                16)).toString(), "--out", dir.resolve("x.onnx").toString()),
        new Case("half a file", 1, "truncated", "export", "--net",
            withWeights("w-half", Arrays.copyOf(good, good.length / 2)).toString(), "--out",
            dir.resolve("x.onnx").toString()),
        new Case("flipped data byte", 1, "checksum does not match", "export", "--net",
            withWeights("w-flip", flipped).toString(), "--out", dir.resolve("x.onnx").toString())));
    Path emptySpec = Files.createDirectories(dir.resolve("spec-empty"));
    Files.write(emptySpec.resolve("network.json"), new byte[0]);
    Files.write(emptySpec.resolve("weights.safetensors"), good);
    cases.add(new Case("empty network.json", 1, "network.json", "flops", "--net", emptySpec.toString()));
    Path other = dir.resolve("other");
    assertEquals(0, CliRunner.run("derive", "--genotype", "DARTS_V2", "--channels", "4", "--layers", "3", "--input",
        "3x8x8", "--classes", "3", "--out", other.toString()).status());
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    Files.copy(net.resolve("network.json"), mixed.resolve("network.json"));
    Files.copy(other.resolve("weights.safetensors"), mixed.resolve("weights.safetensors"));
    cases.add(new Case("weights of another network.json", 1, "were not written together", "export", "--net",
        mixed.toString(), "--out", dir.resolve("x.onnx").toString()));
    assertTrue(SafeTensors.metadata(net.resolve("weights.safetensors")).containsKey(SafeTensors.CHECKSUM));
    return cases.stream().map(HostileInputTest::check);
  }

  @org.junit.jupiter.api.Test
  void exportFoldersOfKilledProcessesAreRemoved() throws IOException {
    // a pid above Linux' pid_max: its process cannot be running
    Path abandoned = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
        "nas-export-4194305-hostiletest"));
    Files.writeString(abandoned.resolve("model.onnx"), "half an export");
    CliRunner r = CliRunner.run("bench", "--net", net.toString(), "--batch", "1", "--iterations", "1", "--warmup",
        "0");
    assertEquals(0, r.status(), r.toString());
    assertFalse(Files.exists(abandoned), "the export folder of a killed run is removed by the next one");
  }

  @TestFactory
  Stream<DynamicTest> damagedSearchFolders() throws IOException {
    Path emptyConfig = Files.createDirectories(dir.resolve("run-empty-config"));
    Files.write(emptyConfig.resolve("config.json"), new byte[0]);
    Path nullConfig = Files.createDirectories(dir.resolve("run-null-config"));
    Files.writeString(nullConfig.resolve("config.json"), "{\"algo\": null, \"epochs\": \"x\"}");
    Path badCheckpoint = Files.createDirectories(dir.resolve("run-bad-checkpoint"));
    assertEquals(0, CliRunner.run("search", "--input", "3x8x8", "--train-samples", "64", "--test-samples", "16",
        "--epochs", "1", "--layers", "3", "--channels", "4", "--batch", "16", "--out", badCheckpoint.toString())
        .status());
    Files.write(badCheckpoint.resolve("checkpoint.safetensors"), new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1});
    return Stream.of(
        new Case("empty config.json", 1, "is damaged", "search", "--resume", "--out", emptyConfig.toString()),
        new Case("config.json with wrong types", 1, "is damaged", "search", "--resume", "--out",
            nullConfig.toString()),
        new Case("garbage checkpoint", 1, "not a safetensors file", "search", "--resume", "--out",
            badCheckpoint.toString()))
        .map(HostileInputTest::check);
  }
}
