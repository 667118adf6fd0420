package dev.nas.core.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.Genotypes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Feeds the DOT output to Graphviz when it is installed; the project itself never needs it. */
class GraphvizAcceptsDotTest {
  private static final boolean DOT_AVAILABLE = dotAvailable();

  /** Checked per test (not per class) so that reports list each test as skipped, with the reason. */
  @BeforeEach
  void requireGraphviz() {
    assumeTrue(DOT_AVAILABLE, "Graphviz 'dot' is not on the PATH, so the DOT output cannot be checked against "
        + "it here; install graphviz to run this test");
  }

  @Test
  void dotRendersDartsV2() throws Exception {
    assertAccepted(CellDiagram.asDot(Genotypes.named("DARTS_V2")));
    assertAccepted(CellDiagram.asDot(Genotypes.named("DARTS_V2"), "normal"));
  }

  @Test
  void dotRendersUnusualNames() throws Exception {
    Genotype g = CellDiagramTest.unusual();
    assertAccepted(CellDiagram.asDot(g));
    assertAccepted(CellDiagram.asDot(g, "s_normal"));
  }

  /** Graphviz exits non-zero on a syntax error; its SVG must also be well-formed. */
  private static void assertAccepted(String dot) throws Exception {
    Process p = new ProcessBuilder("dot", "-Tsvg").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(dot.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), out + "\nfor\n" + dot);
    CellDiagramTest.parse(out.substring(out.indexOf("<svg")));
  }

  private static boolean dotAvailable() {
    try {
      Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
