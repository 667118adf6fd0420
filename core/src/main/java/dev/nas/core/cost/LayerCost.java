package dev.nas.core.cost;

/** Cost of one layer per sample: learned parameters, multiply-adds, other arithmetic. */
public record LayerCost(String name, String kind, String outputShape, long params, long macs, long otherOps) {}
