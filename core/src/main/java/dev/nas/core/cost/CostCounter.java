package dev.nas.core.cost;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.Graph;
import dev.nas.core.graph.Layer;
import dev.nas.core.graph.Node;
import dev.nas.core.graph.ParamSpec;
import java.util.ArrayList;
import java.util.List;

/** Counts a static graph's inference path with the convention of {@link CostReport#CONVENTION}. */
public final class CostCounter {
  private CostCounter() {}

  public static CostReport count(Graph graph, String source) {
    List<LayerCost> layers = new ArrayList<>();
    for (Node n : graph.inferenceNodes()) {
      Layer layer = n.layer();
      if (layer instanceof Layer.Input || layer.trainingOnly()) {
        continue;
      }
      List<FeatureShape> in = graph.inputShapes(n);
      long params = layer.params(in).stream().filter(ParamSpec::trainable).mapToLong(ParamSpec::numel).sum();
      layers.add(new LayerCost(n.name(), layer.kind(), n.shape().toString(), params, layer.macs(in, n.shape()),
          layer.otherOps(in, n.shape())));
    }
    return new CostReport(source, graph.inputShape().toString(), layers);
  }
}
