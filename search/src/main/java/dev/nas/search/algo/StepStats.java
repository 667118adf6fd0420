package dev.nas.search.algo;

/** What one search step saw: the training batch's loss and hits, and the validation batch's (α step). */
public record StepStats(double trainLoss, int trainCorrect, int trainCount, double valLoss, int valCorrect,
    int valCount) {}
