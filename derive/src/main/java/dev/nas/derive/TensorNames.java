package dev.nas.derive;

/**
 * How tensors are named, in one place: a supernet and the networks derived from it name an edge's
 * weights alike, so weights carry over by name (CDARTS' E-Net inheritance, resumed checkpoints,
 * derived networks evaluated with the search's weights); the architecture parameters and optimiser
 * states get names no network weight can have.
 */
public final class TensorNames {
  private TensorNames() {}

  /** Prefix of optimiser states in a search checkpoint (never a network weight's). */
  public static final String OPTIMIZER = "opt.";

  /** Prefix of the tensors of cell {@code index}. */
  public static String cell(int index) {
    return "cells." + index;
  }

  /** Prefix of operation {@code op}'s tensors on edge {@code edge} of cell {@code index}. */
  public static String edgeOp(int index, int edge, String op) {
    return cell(index) + ".edges." + edge + "." + op;
  }

  /** The α tensor (edges × operations) of a cell type. */
  public static String alpha(String cellType) {
    return "alpha." + cellType;
  }

  /** The β tensor (one edge strength per edge) of a cell type. */
  public static String beta(String cellType) {
    return "beta." + cellType;
  }

  /** The edge-normalisation tensor (one weight per edge, PC-DARTS) of a cell type. */
  public static String edgeNorm(String cellType) {
    return "edgenorm." + cellType;
  }

  /** The state {@code name} of optimiser {@code which} (e.g. {@code w} for weights, {@code a} for α). */
  public static String optimizerState(String which, String name) {
    return OPTIMIZER + which + "." + name;
  }
}
