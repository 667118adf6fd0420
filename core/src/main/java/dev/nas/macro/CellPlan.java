package dev.nas.macro;

/**
 * One cell's place in a macro: its type, whether it reduces resolution, whether its first input
 * comes from before a reduction (and so needs FactorizedReduce), and its channel counts.
 */
public record CellPlan(int index, String type, boolean reduction, boolean reductionPrev, int prevPrevChannels,
    int prevChannels, int channels) {}
