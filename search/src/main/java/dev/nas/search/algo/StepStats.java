package dev.nas.search.algo;

import dev.nas.djl.TrainingStep;

/**
 * What one search iteration saw: the weight step's pass on the training batch and the
 * architecture step's on the validation batch (null when the algorithm has none: one-level
 * algorithms, warm-up epochs).
 */
public record StepStats(TrainingStep.Outcome train, TrainingStep.Outcome validation) {}
