package dev.nas.core.macro;

import dev.nas.core.cost.CostReport;
import java.util.ArrayList;
import java.util.List;

/** Warnings for macros that do not suit their input: the classic CIFAR-macro-at-224 mistake and its mirror. */
public final class MacroFit {
  private MacroFit() {}

  public static List<String> warnings(MacroConfig m, CostReport cost) {
    List<String> out = new ArrayList<>();
    int side = Math.min(m.input().spatial(0), m.input().spatial(1));
    if (m.kind() == MacroConfig.Kind.CIFAR && side > 64) {
      out.add(String.format("the cifar macro keeps %dx%d resolution until the first reduction cell; at input %s this "
          + "network needs %s MACs. For ImageNet-size inputs use --macro imagenet (stride-8 stem to %dx%d).",
          m.input().spatial(0), m.input().spatial(1), m.input(), CostReport.human(cost.macs()),
          m.input().spatial(0) / 8, m.input().spatial(1) / 8));
    }
    if (m.kind() == MacroConfig.Kind.IMAGENET && side < 112) {
      out.add(String.format("the imagenet macro reduces the input by 8 in its stem and by 4 more in the cells; at "
          + "input %s the last cells see %dx%d feature maps. For small inputs use --macro cifar.",
          m.input(), Math.max(1, m.input().spatial(0) / 32), Math.max(1, m.input().spatial(1) / 32)));
    }
    return out;
  }
}
