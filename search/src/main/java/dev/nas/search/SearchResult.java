package dev.nas.search;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.graph.FeatureShape;
import java.nio.file.Path;

/**
 * The outcome of a search run (or of the part of it this invocation ran), with the input shape
 * and class count of the data it searched on.
 *
 * @param evaluationNetwork folder of a trained network the algorithm built along the way (CDARTS'
 *     E-Net), or null
 */
public record SearchResult(Path run, Genotype genotype, int epochsDone, boolean finished, double seconds,
    FeatureShape input, int classes, Path evaluationNetwork) {}
