package dev.nas.search;

import java.util.List;
import java.util.Map;

/**
 * One epoch of a search as written to {@code history.json}: losses and accuracies, timing, the
 * genotype the architecture parameters derive to, and the collapse indicators.
 */
public record EpochRecord(int epoch, double lr, double trainLoss, double trainAcc, double searchValLoss,
    double searchValAcc, double evalValLoss, double evalValAcc, double seconds, double secondsPerStep,
    String genotype, int normalSkips, int normalParameterFree, Map<String, Double> meanOpWeightNormal,
    List<String> warnings) {}
