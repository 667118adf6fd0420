package dev.nas.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A cell search space: the candidate operations on every edge, the cell types (each with its own
 * architecture parameters), the cell topology (input states, intermediate nodes, inputs kept per
 * node when a cell is derived) and the spatial rank of its input: 2 for images (N×C×H×W), 3 for
 * video clips (N×C×T×H×W). Operation names are those of {@link OpCatalog}.
 */
public record SearchSpace(String name, List<String> ops, List<CellType> cellTypes, int inputStates,
    int intermediateNodes, int inputsPerNode, int spatialRank) {

  /** A cell type; reduction cells apply stride 2 on the edges leaving the cell inputs. */
  public record CellType(String name, boolean reduction) {}

  /** The DARTS space, with the operations in the order of the DARTS reference code. */
  public static final SearchSpace DARTS = new SearchSpace("darts",
      List.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5",
          "dil_conv_3x3", "dil_conv_5x5"),
      List.of(new CellType("normal", false), new CellType("reduce", true)), 2, 4, 2);

  /**
   * SDAS' image space O2D: the DARTS operations without {@code none}, so an edge is never switched
   * off by its operation; which edges a node keeps is decided by the edge strengths β instead.
   */
  public static final SearchSpace O2D = new SearchSpace("o2d",
      List.of("skip_connect", "max_pool_3x3", "avg_pool_3x3", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3",
          "dil_conv_5x5"),
      DARTS.cellTypes(), 2, 4, 2);

  /** SDAS' O2D on clips: the same operations, planar (1×k×k kernels) on N×C×T×H×W input. */
  public static final SearchSpace O2D_VIDEO = new SearchSpace("o2d-video", O2D.ops(), DARTS.cellTypes(), 2, 4, 2, 3);

  /** SDAS' O3D: O2D's planar operations (without avg pooling and 5×5 dilated conv) plus 3-D pooling and separable-3d convolutions. */
  public static final SearchSpace O3D = new SearchSpace("o3d",
      List.of("skip_connect", "max_pool_3x3", "max_pool_3x3x3", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3",
          "sep3d_conv_3x3x3", "sep3d_conv_3x5x5", "dil_sep3d_conv_3x3x3"),
      DARTS.cellTypes(), 2, 4, 2, 3);

  /** SDAS' Oadv: planar and 3-D pooling and convolutions plus channel-wise scale and bias. */
  public static final SearchSpace OADV = new SearchSpace("oadv",
      List.of("skip_connect", "max_pool_3x3", "max_pool_3x3x3", "sep_conv_3x3", "sep_conv_5x5", "sep3d_conv_3x3x3",
          "sep3d_conv_3x5x5", "chan_scale", "chan_bias"),
      DARTS.cellTypes(), 2, 4, 2, 3);

  /** PV-NAS' spatial set Os: zero, identity, 1×3×3 average/max pooling, 1×3×3 separable and dilated convolution. */
  public static final SearchSpace PVNAS_S = new SearchSpace("pvnas-s",
      List.of("none", "skip_connect", "avg_pool_3x3", "max_pool_3x3", "sep_conv_3x3", "dil_conv_3x3"),
      DARTS.cellTypes(), 2, 4, 2, 3);

  /** PV-NAS' temporal set Ot: Os plus the factorised (2+1)-D convolutions "3+3×3" and "3+1×1". */
  public static final SearchSpace PVNAS_T = new SearchSpace("pvnas-t",
      List.of("none", "skip_connect", "avg_pool_3x3", "max_pool_3x3", "sep_conv_3x3", "dil_conv_3x3", "conv_3+3x3",
          "conv_3+1x1"),
      DARTS.cellTypes(), 2, 4, 2, 3);

  /** The operation that outputs zeros: weighted in DARTS' softmax, never computed, never kept. */
  public static final String NONE = "none";

  private static final Map<String, SearchSpace> SPACES = new LinkedHashMap<>();

  static {
    SPACES.put(DARTS.name, DARTS);
    SPACES.put(O2D.name, O2D);
    for (SearchSpace s : List.of(O2D_VIDEO, O3D, OADV, PVNAS_S, PVNAS_T)) {
      SPACES.put(s.name, s);
    }
  }

  public SearchSpace {
    ops = List.copyOf(ops);
    cellTypes = List.copyOf(cellTypes);
    if (spatialRank != 2 && spatialRank != 3) {
      throw new IllegalArgumentException("space " + name + " has spatial rank " + spatialRank
          + "; 2 (images) or 3 (clips) expected");
    }
    for (String op : ops) {
      if (!OpCatalog.contains(op)) {
        throw new IllegalArgumentException("space " + name + " names unknown operation '" + op + "' (known: "
            + OpCatalog.names() + ")");
      }
      if (spatialRank != 3 && OpCatalog.clipOnly(op)) {
        throw new IllegalArgumentException("space " + name + " is for images but operation " + op
            + " needs clip input N×C×T×H×W");
      }
    }
  }

  /** An image space (spatial rank 2). */
  public SearchSpace(String name, List<String> ops, List<CellType> cellTypes, int inputStates, int intermediateNodes,
      int inputsPerNode) {
    this(name, ops, cellTypes, inputStates, intermediateNodes, inputsPerNode, 2);
  }

  /** Whether the space is for video clips (N×C×T×H×W input). */
  public boolean video() {
    return spatialRank == 3;
  }

  /** The space called {@code name}; fails listing the known spaces. */
  public static SearchSpace named(String name) {
    SearchSpace s = SPACES.get(name.toLowerCase(Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException("unknown search space '" + name + "' (known: " + SPACES.keySet() + ")");
    }
    return s;
  }

  /** Names of the known spaces. */
  public static List<String> names() {
    return List.copyOf(SPACES.keySet());
  }

  /** Indices of the operations that are actually computed and can be kept: all but {@code none}. */
  public int[] keepableOps() {
    return IntStream.range(0, ops.size()).filter(i -> !ops.get(i).equals(NONE)).toArray();
  }

  public CellType cellType(String type) {
    return cellTypes.stream().filter(c -> c.name().equals(type)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("space " + name + " has no cell type " + type));
  }

  /** Mixed edges per cell: every intermediate node takes an edge from every earlier state. */
  public int edgesPerCell() {
    int e = 0;
    for (int i = 0; i < intermediateNodes; i++) {
      e += inputStates + i;
    }
    return e;
  }

  /** Index of the edge from state {@code from} into intermediate node {@code node}. */
  public int edgeIndex(int node, int from) {
    int offset = 0;
    for (int i = 0; i < node; i++) {
      offset += inputStates + i;
    }
    return offset + from;
  }

  public int opIndex(String op) {
    int i = ops.indexOf(op);
    if (i < 0) {
      throw new IllegalArgumentException("operation " + op + " is not in space " + name);
    }
    return i;
  }
}
