package dev.nas.ops;

import dev.nas.graph.GraphBuilder;
import dev.nas.graph.Layer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one table of candidate operations. The supernet, derived networks, the ONNX exporter and
 * the cost counter all obtain an operation's computation from here, so an edge of a derived
 * network computes exactly what the same edge computed in the supernet.
 */
public final class OpCatalog {
  private static final Map<String, OpFactory> OPS = new LinkedHashMap<>();

  static {
    OPS.put("none", (b, n, x, c) -> b.add(n, new Layer.Zero(c.stride()), x));
    OPS.put("max_pool_3x3", (b, n, x, c) -> Blocks.pool(b, n, x, Layer.Pool.Kind.MAX, square(3, c), c.stride()));
    OPS.put("avg_pool_3x3", (b, n, x, c) -> Blocks.pool(b, n, x, Layer.Pool.Kind.AVG, square(3, c), c.stride()));
    OPS.put("skip_connect", (b, n, x, c) -> c.reduces()
        ? Blocks.factorizedReduce(b, n, x, c.channels(), c.channels(), c.stride(), c.affine())
        : x);
    OPS.put("sep_conv_3x3", (b, n, x, c) -> Blocks.sepConv(b, n, x, c.channels(), c.channels(), square(3, c), c.stride(), c.affine()));
    OPS.put("sep_conv_5x5", (b, n, x, c) -> Blocks.sepConv(b, n, x, c.channels(), c.channels(), square(5, c), c.stride(), c.affine()));
    OPS.put("dil_conv_3x3", (b, n, x, c) -> Blocks.dilConv(b, n, x, c.channels(), c.channels(), square(3, c), c.stride(), square(2, c), c.affine()));
    OPS.put("dil_conv_5x5", (b, n, x, c) -> Blocks.dilConv(b, n, x, c.channels(), c.channels(), square(5, c), c.stride(), square(2, c), c.affine()));
  }

  private OpCatalog() {}

  private static List<Integer> square(int k, OpContext c) {
    return Collections.nCopies(c.rank(), k);
  }

  /** Names of every known operation. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(OPS.keySet());
  }

  public static boolean contains(String op) {
    return OPS.containsKey(op);
  }

  /**
   * Adds operation {@code op} applied to node {@code input}; returns the output node (the input
   * itself for an identity). Node names start with {@code name}.
   */
  public static int build(GraphBuilder b, String op, String name, int input, OpContext ctx) {
    OpFactory f = OPS.get(op);
    if (f == null) {
      throw new IllegalArgumentException("unknown operation '" + op + "' (known: " + OPS.keySet() + ")");
    }
    return f.build(b, name, input, ctx);
  }
}
