package dev.nas.derive;

import dev.nas.core.graph.Graph;
import dev.nas.core.graph.GraphBuilder;
import dev.nas.core.graph.Layer;
import dev.nas.core.macro.MacroBlocks;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.Blocks;
import java.util.List;

/**
 * The hand-crafted baseline of the {@code resnet} macro: the CIFAR ResNet of He et al. (2016) —
 * input normalisation, 3×3 conv–BN–ReLU stem to C channels, three stages of {@code layers} basic
 * blocks at widths C, 2C and 4C (the first block of stages 2 and 3 with stride 2 and a 1×1
 * conv–BN projection shortcut), global average pooling and the linear classifier. A basic block is
 * conv3×3–BN–ReLU–conv3×3–BN, added to the shortcut, then ReLU. Built from the same graph layers
 * as derived cell networks, so training, cost counting and ONNX export apply unchanged. The
 * {@code resnet3d} macro is the same network on clips: every kernel 3×3×3 (1×1×1 shortcuts) and
 * the stride 2 of stages 2 and 3 on T, H and W alike, as R3D (Tran et al. 2018) strides.
 */
public final class ResNetBuilder {
  private ResNetBuilder() {}

  public static Graph build(MacroConfig m, Preprocessing pre) {
    if (!m.kind().cellFree()) {
      throw new IllegalArgumentException("ResNetBuilder builds the resnet and resnet3d macros, not " + m.kind().id());
    }
    GraphBuilder b = new GraphBuilder(m.input());
    int rank = m.kind().rank();
    int x = b.add("normalize", new Layer.Normalize(pre.mean(), pre.std()), b.input());
    int c = m.channels();
    x = b.add("stem.conv", conv3(m.input().channels(), c, 1, rank), x);
    x = b.add("stem.bn", new Layer.BatchNorm(c, true), x);
    x = b.add("stem.relu", new Layer.Relu(), x);
    int in = c;
    for (int stage = 0; stage < 3; stage++) {
      int width = c << stage;
      for (int block = 0; block < m.layers(); block++) {
        int stride = stage > 0 && block == 0 ? 2 : 1;
        x = basicBlock(b, "stages." + stage + ".blocks." + block, x, in, width, stride, rank);
        in = width;
      }
    }
    return b.build(MacroBlocks.classifier(b, x, m.classes()));
  }

  /** Blocks per stage of the ResNet with {@code depth} weighted layers (6n + 2: 8, 14, 20, 32, 56, ...). */
  public static int blocksForDepth(int depth) {
    if (depth < 8 || (depth - 2) % 6 != 0) {
      throw new IllegalArgumentException("a CIFAR ResNet has 6n+2 layers (8, 14, 20, 32, ...), not " + depth);
    }
    return (depth - 2) / 6;
  }

  private static int basicBlock(GraphBuilder b, String name, int x, int in, int out, int stride, int rank) {
    int h = b.add(name + ".conv1", conv3(in, out, stride, rank), x);
    h = b.add(name + ".bn1", new Layer.BatchNorm(out, true), h);
    h = b.add(name + ".relu1", new Layer.Relu(), h);
    h = b.add(name + ".conv2", conv3(out, out, 1, rank), h);
    h = b.add(name + ".bn2", new Layer.BatchNorm(out, true), h);
    int shortcut = x;
    if (stride != 1 || in != out) {
      shortcut = b.add(name + ".shortcut.conv", Blocks.conv(in, out, all(1, rank), all(stride, rank), all(0, rank),
          all(1, rank), 1), x);
      shortcut = b.add(name + ".shortcut.bn", new Layer.BatchNorm(out, true), shortcut);
    }
    int sum = b.add(name + ".add", new Layer.Sum(), h, shortcut);
    return b.add(name + ".relu2", new Layer.Relu(), sum);
  }

  private static Layer.Conv conv3(int in, int out, int stride, int rank) {
    return Blocks.conv(in, out, all(3, rank), all(stride, rank), all(1, rank), all(1, rank), 1);
  }

  private static List<Integer> all(int v, int rank) {
    return java.util.Collections.nCopies(rank, v);
  }
}
