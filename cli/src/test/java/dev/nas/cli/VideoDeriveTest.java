package dev.nas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.GenotypeJson;
import dev.nas.core.io.Json;
import dev.nas.core.ops.SearchSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas derive} with the video macros: --macro, --repeat, --stem-channels, clip --input, and its errors. */
class VideoDeriveTest {
  @TempDir
  Path dir;

  private Path genotypeFile(SearchSpace space) throws Exception {
    Path f = dir.resolve(space.name() + ".json");
    Files.writeString(f, GenotypeJson.write(dev.nas.core.genotype.TestGenotypes.cycling(space)));
    return f;
  }

  private static void fails(String expected, String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
  }

  @Test
  void derivesVideoNetworksInBothMacros() throws Exception {
    Path o3d = genotypeFile(SearchSpace.O3D);
    Path net = dir.resolve("sdas");
    CliRunner r = CliRunner.run("derive", "--genotype", o3d.toString(), "--macro", "video-sdas", "--input",
        "3x16x112x112", "--channels", "8", "--stem-channels", "8", "--classes", "5", "--out", net.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("video-sdas macro, C=8, 9 cells (K=2, C1=8), input 3x16x112x112, 5 classes"),
        r.out());
    JsonNode macro = Json.MAPPER.readTree(net.resolve("network.json").toFile()).get("macro");
    assertEquals("video-sdas", macro.get("kind").asText());
    assertEquals(2, macro.get("repeat").asInt());
    assertEquals(8, macro.get("stemChannels").asInt());
    CliRunner flops = CliRunner.run("flops", "--net", net.toString());
    assertEquals(0, flops.status(), flops.toString());

    // without --macro, a pvnas genotype goes into its space's macro, video-pvnas
    Path pvnas = genotypeFile(SearchSpace.PVNAS);
    CliRunner p = CliRunner.run("derive", "--genotype", pvnas.toString(), "--input", "1x3x8x32x32", "--channels", "4",
        "--repeat", "1", "--stem-channels", "4", "--classes", "3", "--out", dir.resolve("pvnas").toString());
    assertEquals(0, p.status(), p.toString());
    assertTrue(p.out().contains("video-pvnas macro, C=4, 7 cells (K=1, C1=4), input 3x8x32x32"), p.out());
  }

  @Test
  void mismatchedMacrosAndInputsAreUsageErrors() throws Exception {
    Path o3d = genotypeFile(SearchSpace.O3D);
    Path pvnas = genotypeFile(SearchSpace.PVNAS);
    String out = dir.resolve("x").toString();
    fails("genotype of video space o3d needs clip input CxTxHxW, the cifar macro's input is 3x32x32", "derive",
        "--genotype", o3d.toString(), "--macro", "cifar", "--out", out);
    fails("the video-sdas macro stacks cell types [normal, reduce], but genotypes of space pvnas have [s_normal, "
        + "s_reduce, t_normal, t_reduce] (use --macro video-pvnas)", "derive", "--genotype", pvnas.toString(),
        "--macro", "video-sdas", "--out", out);
    fails("input shape '3x32x32' has 3 numbers; the model takes clips, so give a clip size, CxTxHxW or 1xCxTxHxW (e.g. 3x16x112x112) (the video-sdas macro)", "derive", "--genotype", o3d.toString(),
        "--macro", "video-sdas", "--input", "3x32x32", "--out", out);
    fails("the video-sdas macro reduces T×H×W by 4×16×16; input 3x2x32x32 is too small", "derive", "--genotype",
        o3d.toString(), "--input", "3x2x32x32", "--out", out);
    fails("depth follows from --repeat K; drop --layers", "derive", "--genotype", o3d.toString(), "--layers", "8",
        "--out", out);
    fails("--repeat and --stem-channels are for the video macros", "derive", "--genotype", "DARTS_V2", "--repeat",
        "2", "--out", out);
    assertFalse(Files.exists(dir.resolve("x")), "nothing written");
  }
}
