package dev.nas.core.ops;

import dev.nas.core.graph.GraphBuilder;

/** Adds one candidate operation to a graph and returns its output node. */
@FunctionalInterface
public interface OpFactory {
  int build(GraphBuilder b, String name, int input, OpContext ctx);
}
