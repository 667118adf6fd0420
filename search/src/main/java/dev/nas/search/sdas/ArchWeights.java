package dev.nas.search.sdas;

import java.util.Map;

/**
 * Host copies of the architecture weights SDAS decides on, per cell type: softmax(α) (edges × ops,
 * row-major) and sigmoid(β) (one strength per edge).
 */
public record ArchWeights(Map<String, float[]> opWeights, Map<String, float[]> strengths) {}
