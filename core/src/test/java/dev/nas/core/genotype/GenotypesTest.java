package dev.nas.core.genotype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenotypesTest {
  private static final String V2 = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), "
      + "('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
      + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
      + "('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], "
      + "reduce_concat=range(2, 6))";

  @Test
  void builtInGenotypesAreValidAndDistinct() {
    for (String name : Genotypes.names()) {
      Genotype g = Genotypes.named(name);
      if (g.space().equals("nb201")) {
        assertEquals(3, g.cell("cell").nodes().size(), name);
        continue;
      }
      assertEquals(4, g.cell("normal").nodes().size(), name);
      assertEquals(List.of(2, 3, 4, 5), g.cell("reduce").concat(), name);
    }
    assertEquals(5, Genotypes.names().stream().map(Genotypes::named).distinct().count());
    assertEquals(Genotypes.named("DARTS_V2"), Genotypes.named("darts"));
  }

  @Test
  void videoGenotypesWithOneReduceCellReadAsTheSharedVariant() {
    // written before the SDAS video spaces had ST- and S-reduction cells of their own
    Genotype old = new Genotype("o3d", java.util.Map.of("normal", TestGenotypes.cycling(
        dev.nas.core.ops.SearchSpace.O3D_SHARED).cell("normal"), "reduce", TestGenotypes.cycling(
        dev.nas.core.ops.SearchSpace.O3D_SHARED).cell("reduce")));
    Genotype read = GenotypeJson.read(GenotypeJson.write(old));
    assertEquals("o3d-shared", read.space());
    GenotypeValidator.validate(read);
    Genotype split = TestGenotypes.cycling(dev.nas.core.ops.SearchSpace.O3D);
    assertEquals(split, GenotypeJson.read(GenotypeJson.write(split)), "a three-cell genotype keeps its space");
    assertEquals("o3d", split.space());
    GenotypeValidator.validate(split);
  }

  @Test
  void pythonFormMatchesPublishedDartsV2() {
    Genotype g = Genotypes.parsePython(V2);
    assertEquals(Genotypes.named("DARTS_V2"), g);
    assertEquals(new GenotypeEdge("dil_conv_3x3", 2), g.cell("normal").nodes().get(3).get(1));
  }

  @Test
  void pythonFormAcceptsGroupedNodesAndDoubleQuotes() {
    String grouped = "Genotype(normal=[[(\"sep_conv_3x3\", 0), (\"sep_conv_3x3\", 1)], [('sep_conv_3x3', 0), "
        + "('sep_conv_3x3', 1)], [('sep_conv_3x3', 1), ('skip_connect', 0)], [('skip_connect', 0), ('dil_conv_3x3', 2)]],"
        + " normal_concat=[2, 3, 4, 5], reduce=[[('max_pool_3x3', 0), ('max_pool_3x3', 1)], [('skip_connect', 2), "
        + "('max_pool_3x3', 1)], [('max_pool_3x3', 0), ('skip_connect', 2)], [('skip_connect', 2), ('max_pool_3x3', 1)]],"
        + " reduce_concat=[2, 3, 4, 5],)";
    assertEquals(Genotypes.named("DARTS_V2"), Genotypes.parsePython(grouped));
  }

  @Test
  void jsonAndPythonRoundTrip() {
    for (String name : Genotypes.names()) {
      Genotype g = Genotypes.named(name);
      assertEquals(g, Genotypes.parseJson(GenotypeJson.write(g)));
      assertEquals(g, Genotypes.parse(g.describe())); // NAS-Bench-201 string or Python form
      if (g.space().equals("darts")) {
        assertEquals(g, Genotypes.parsePython(g.toPythonString()));
      }
    }
  }

  @Test
  void resolveReadsFilesOfEitherForm(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("g.json");
    Files.writeString(json, GenotypeJson.write(Genotypes.named("PDARTS")));
    Path py = dir.resolve("g.txt");
    Files.writeString(py, Genotypes.named("PC_DARTS").toPythonString() + "\n");
    assertEquals(Genotypes.named("PDARTS"), Genotypes.resolve(json.toString()));
    assertEquals(Genotypes.named("PC_DARTS"), Genotypes.resolve(py.toString()));
    assertEquals(Genotypes.named("DARTS_V1"), Genotypes.resolve("darts_v1"));
  }

  @Test
  void unknownOperationIsNamed() {
    GenotypeException e = assertThrows(GenotypeException.class,
        () -> Genotypes.parsePython(V2.replaceFirst("dil_conv_3x3", "dil_conv_7x7")));
    assertTrue(e.getMessage().contains("normal node 3") && e.getMessage().contains("dil_conv_7x7"), e.getMessage());
  }

  @Test
  void nodeIndexOutOfRangeIsNamed() {
    GenotypeException e = assertThrows(GenotypeException.class,
        () -> Genotypes.parsePython(V2.replace("('dil_conv_3x3', 2)", "('dil_conv_3x3', 5)")));
    assertTrue(e.getMessage().contains("normal node 3") && e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void wrongNumberOfInputsIsNamed() {
    GenotypeException flat = assertThrows(GenotypeException.class,
        () -> Genotypes.parsePython(V2.replace("('dil_conv_3x3', 2)], normal_concat", "('dil_conv_3x3', 2), "
            + "('sep_conv_3x3', 3)], normal_concat")));
    assertTrue(flat.getMessage().contains("normal has 9 edges"), flat.getMessage());
    String json = GenotypeJson.write(Genotypes.named("DARTS_V2"))
        .replaceFirst("\\{\\s*\"op\" : \"sep_conv_3x3\",\\s*\"input\" : 0\\s*},", "");
    GenotypeException grouped = assertThrows(GenotypeException.class, () -> Genotypes.parseJson(json));
    assertTrue(grouped.getMessage().contains("normal node 0") && grouped.getMessage().contains("1 inputs"),
        grouped.getMessage());
  }

  @Test
  void badConcatListsAreNamed() {
    for (String concat : List.of("[2, 3, 4, 9]", "[2, 2, 3]", "[]", "[0, 2]")) {
      GenotypeException e = assertThrows(GenotypeException.class,
          () -> Genotypes.parsePython(V2.replace("normal_concat=[2, 3, 4, 5]", "normal_concat=" + concat)), concat);
      assertTrue(e.getMessage().contains("normal_concat"), e.getMessage());
    }
    GenotypeException missing = assertThrows(GenotypeException.class,
        () -> Genotypes.parsePython(V2.replace("normal_concat=[2, 3, 4, 5], ", "")));
    assertTrue(missing.getMessage().contains("normal_concat"), missing.getMessage());
  }

  @Test
  void noneAndRepeatedInputsAreRejected() {
    assertTrue(assertThrows(GenotypeException.class,
        () -> Genotypes.parsePython(V2.replaceFirst("sep_conv_3x3", "none"))).getMessage().contains("'none'"));
    assertTrue(assertThrows(GenotypeException.class,
        () -> Genotypes.parsePython(V2.replaceFirst("\\('sep_conv_3x3', 1\\)", "('sep_conv_5x5', 0)")))
        .getMessage().contains("read twice"));
  }

  @Test
  void malformedTextGivesOneClearError() {
    for (String bad : List.of("Genotype(normal=[('sep_conv_3x3', 0)", "Genotype(normal=[('sep_conv_3x3' 0)])",
        "{\"cells\": ", "{\"format\": \"nas-genotype\", \"version\": 7, \"cells\": {}}", "no/such/file.json",
        "Genotype(normal=[('sep_conv_3x3', 'a')])")) {
      GenotypeException e = assertThrows(GenotypeException.class, () -> Genotypes.resolve(bad), bad);
      assertTrue(e.getMessage().length() > 10, e.getMessage());
    }
  }
}
