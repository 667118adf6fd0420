package dev.nas.derive;

import java.nio.file.Path;

/** Outcome of training: where the network was saved and its test accuracy. */
public record TrainResult(Path out, double top1, double top5, double testLoss, int epochs, double seconds) {}
