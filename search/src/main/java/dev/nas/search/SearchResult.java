package dev.nas.search;

import dev.nas.genotype.Genotype;
import java.nio.file.Path;

/** The outcome of a search run (or of the part of it this invocation ran). */
public record SearchResult(Path run, Genotype genotype, int epochsDone, boolean finished, double seconds,
    EpochRecord last) {}
