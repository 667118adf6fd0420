package dev.nas.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
  record Settings(String dataset, int epochs, Double lr, List<Integer> sizes) {}

  @Test
  void listsExactlyTheFieldsThatDifferInDeclarationOrder() {
    Settings a = new Settings("fashion-mnist", 3, 0.025, List.of(1, 2));
    assertTrue(ConfigDiff.of(a, new Settings("fashion-mnist", 3, 0.025, List.of(1, 2))).isEmpty());
    assertEquals(List.of("epochs: 3 vs 4", "lr: 0.025 vs null", "sizes: [1, 2] vs [2]"),
        ConfigDiff.of(a, new Settings("fashion-mnist", 4, null, List.of(2))));
  }
}
