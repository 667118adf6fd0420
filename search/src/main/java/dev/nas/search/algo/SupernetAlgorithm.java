package dev.nas.search.algo;

import ai.djl.Device;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.ops.SearchSpace;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchData;
import dev.nas.search.SearchResult;
import dev.nas.search.SearchRun;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.sdas.Schedule;
import dev.nas.search.supernet.Mixing;
import dev.nas.search.supernet.Supernet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An algorithm that searches one supernet, run by {@link SearchRun}'s epoch loop with checkpoints:
 * it supplies the mixing of the supernet's edges, the optimiser step of each iteration and the
 * hooks the loop calls (a discretization schedule, the genotype rule, a line for the log).
 */
public abstract class SupernetAlgorithm implements SearchAlgorithm {
  private final String name;
  private final String description;

  protected SupernetAlgorithm(String name, String description) {
    this.name = name;
    this.description = description;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  /** DARTS' search settings (C=16, 8 cells, batch 64, 50 epochs), the base of every supernet algorithm's. */
  @Override
  public SearchConfig defaults() {
    return SearchAlgorithms.dartsSettings(name);
  }

  /**
   * How the supernet's edges mix their operations; {@code state} holds the decisions of scheduled
   * algorithms; {@code normalizeEdges}: whether nodes weight their incoming edges (PC-DARTS' edge
   * normalisation, which comes with partial channels).
   */
  public abstract Mixing mixing(SearchSpace space, Discretization state, boolean normalizeEdges);

  /** The optimiser steps of one iteration; the architecture step minimises {@code objective}. */
  public SearchOptimizer optimizer(Supernet net, SearchConfig c, ArchObjective objective) {
    return new BilevelOptimizer(net, BilevelSettings.of(c, secondOrder()), objective);
  }

  /**
   * How {@link #derive}'s rule ranks a node's inputs, which the expected cost of a cost-aware
   * search follows: DARTS' strongest operation weight by default.
   */
  public dev.nas.search.cost.EdgeSelection edgeSelection(SearchConfig c) {
    return dev.nas.search.cost.EdgeSelection.STRONGEST_OP;
  }

  /** SDAS' decision schedule, for algorithms that discretize while they search. */
  public Optional<Schedule> decisionSchedule() {
    return Optional.empty();
  }

  /**
   * The genotype of the current state, after {@code iteration} α iterations: by default DARTS'
   * rule (each node's two strongest inputs, each with its strongest non-none operation) on the
   * mixing weights.
   */
  public Genotype derive(Supernet net, long iteration, SearchConfig c) {
    return GenotypeDeriver.derive(net.config().space(), net.mixingWeights());
  }

  /** A line for the log explaining how this algorithm optimises on {@code data}, or empty. */
  public Optional<String> describe(SearchConfig c, SearchData data) {
    return Optional.empty();
  }

  @Override
  public SearchResult run(SearchConfig c, Path run, Device device, PrintStream console, RunControl control)
      throws IOException {
    return new SearchRun(c, run, device, console).execute(control);
  }
}
