package dev.nas.search.cdarts;

import dev.nas.genotype.Genotype;
import java.nio.file.Path;

/** What a finished CDARTS search produced: the genotype, the trained E-Net's folder and the last epoch. */
public record CdartsResult(Path run, Genotype genotype, Path enet, double seconds, CdartsEpoch last) {}
