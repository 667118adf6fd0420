package dev.nas.core.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A cell search space: the cell types (each with its own architecture parameters and its own
 * candidate operations), the cell topology (input states, intermediate nodes, inputs kept per
 * node when a cell is derived), the spatial rank of its input (2 for images N×C×H×W, 3 for video
 * clips N×C×T×H×W) and the macro it is searched in ({@code cifar}, {@code video-sdas},
 * {@code video-pvnas}; see {@code dev.nas.core.macro.MacroLayout}). Operation names are those of
 * {@link OpCatalog}.
 */
public record SearchSpace(String name, List<CellType> cellTypes, int inputStates, int intermediateNodes,
    int inputsPerNode, int spatialRank, String macro, Topology topology) {

  /**
   * How a derived cell keeps the edges of the supernet's cell and what it outputs.
   *
   * <ul>
   *   <li>{@code DARTS} (DARTS, SDAS, PV-NAS, CDARTS on CIFAR/ImageNet): two inputs (the outputs of
   *       the two previous cells, preprocessed to the cell's width), each intermediate node keeps
   *       {@link #inputsPerNode} of its incoming edges with one operation that is not {@code none},
   *       and the cell outputs the concatenation of all intermediate nodes.
   *   <li>{@code DENSE} (NAS-Bench-201, Dong &amp; Yang 2020, Section 2.1): one input (the previous
   *       cell's output, taken as it is), every edge is kept with exactly one operation, which may be
   *       {@code none} (the edge then contributes nothing), and the cell outputs its last node.
   * </ul>
   */
  public enum Topology { DARTS, DENSE }

  /**
   * A cell type with its candidate operations; reduction cells apply the macro's stride on the
   * edges leaving the cell inputs.
   */
  public record CellType(String name, boolean reduction, List<String> ops) {
    public CellType {
      ops = List.copyOf(ops);
      if (ops.isEmpty()) {
        throw new IllegalArgumentException("cell type " + name + " has no operations");
      }
    }
  }

  /** Macros a space can name. */
  public static final List<String> MACROS = List.of("cifar", "imagenet", "video-sdas", "video-pvnas", "nb201");

  /** A space of DARTS topology ({@link Topology#DARTS}). */
  public SearchSpace(String name, List<CellType> cellTypes, int inputStates, int intermediateNodes, int inputsPerNode,
      int spatialRank, String macro) {
    this(name, cellTypes, inputStates, intermediateNodes, inputsPerNode, spatialRank, macro, Topology.DARTS);
  }

  private static List<CellType> normalReduce(List<String> ops) {
    return List.of(new CellType("normal", false, ops), new CellType("reduce", true, ops));
  }

  /**
   * SDAS' three cell types on clips (Section 4, Fig. 9: the ST-reduction cell chooses 3-D max
   * pooling where the S-reduction cell chooses 2-D): normal, ST-reduction (stride (2,2,2)) and
   * S-reduction (stride (1,2,2)), each with its own α, β and genotype entry.
   */
  private static List<CellType> sdasVideoCells(List<String> ops) {
    return List.of(new CellType("normal", false, ops), new CellType("st_reduce", true, ops),
        new CellType("s_reduce", true, ops));
  }

  private static List<CellType> pvnasCells(List<String> spatial, List<String> temporal) {
    return List.of(new CellType("s_normal", false, spatial), new CellType("s_reduce", true, spatial),
        new CellType("t_normal", false, temporal), new CellType("t_reduce", true, temporal));
  }

  /** The DARTS space, with the operations in the order of the DARTS reference code. */
  public static final SearchSpace DARTS = new SearchSpace("darts",
      normalReduce(List.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5",
          "dil_conv_3x3", "dil_conv_5x5")), 2, 4, 2, 2, "cifar");

  /**
   * SDAS' image space O2D: the DARTS operations without {@code none}, so an edge is never switched
   * off by its operation; which edges a node keeps is decided by the edge strengths β instead.
   */
  public static final SearchSpace O2D = new SearchSpace("o2d",
      normalReduce(List.of("skip_connect", "max_pool_3x3", "avg_pool_3x3", "sep_conv_3x3", "sep_conv_5x5",
          "dil_conv_3x3", "dil_conv_5x5")), 2, 4, 2, 2, "cifar");

  /**
   * SDAS' O2D on clips: the same operations, planar (1×k×k kernels) on N×C×T×H×W input; normal,
   * ST-reduction and S-reduction cells.
   */
  public static final SearchSpace O2D_VIDEO = new SearchSpace("o2d-video", sdasVideoCells(O2D.ops("normal")), 2, 4,
      2, 3, "video-sdas");

  /** SDAS' O3D: O2D's planar operations (without avg pooling and 5×5 dilated conv) plus 3-D pooling and separable-3d convolutions. */
  public static final SearchSpace O3D = new SearchSpace("o3d",
      sdasVideoCells(List.of("skip_connect", "max_pool_3x3", "max_pool_3x3x3", "sep_conv_3x3", "sep_conv_5x5",
          "dil_conv_3x3", "sep3d_conv_3x3x3", "sep3d_conv_3x5x5", "dil_sep3d_conv_3x3x3")), 2, 4, 2, 3, "video-sdas");

  /** SDAS' Oadv: planar and 3-D pooling and convolutions plus channel-wise scale and bias. */
  public static final SearchSpace OADV = new SearchSpace("oadv",
      sdasVideoCells(List.of("skip_connect", "max_pool_3x3", "max_pool_3x3x3", "sep_conv_3x3", "sep_conv_5x5",
          "sep3d_conv_3x3x3", "sep3d_conv_3x5x5", "chan_scale", "chan_bias")), 2, 4, 2, 3, "video-sdas");

  /** The suffix of a video space whose ST- and S-reductions share one {@code reduce} cell. */
  public static final String SHARED_REDUCTION = "-shared";

  /**
   * {@code space} with one {@code reduce} cell type placed at both the ST- and the S-reductions of
   * the video-sdas macro: fewer architecture parameters, and the layout of this tool's video
   * spaces before they followed SDAS' three cell types (genotypes of that time read as it).
   */
  private static SearchSpace sharedReduction(SearchSpace space) {
    return new SearchSpace(space.name() + SHARED_REDUCTION, normalReduce(space.ops("normal")), space.inputStates(),
        space.intermediateNodes(), space.inputsPerNode(), space.spatialRank(), space.macro());
  }

  /** {@link #O2D_VIDEO}, {@link #O3D} and {@link #OADV} with one reduction cell type shared by both reductions. */
  public static final SearchSpace O2D_VIDEO_SHARED = sharedReduction(O2D_VIDEO);
  public static final SearchSpace O3D_SHARED = sharedReduction(O3D);
  public static final SearchSpace OADV_SHARED = sharedReduction(OADV);

  /** PV-NAS' spatial set Os: zero, identity, 1×3×3 average/max pooling, 1×3×3 separable and dilated convolution. */
  public static final List<String> PVNAS_OS = List.of("none", "skip_connect", "avg_pool_3x3", "max_pool_3x3",
      "sep_conv_3x3", "dil_conv_3x3");

  /** PV-NAS' temporal set Ot: Os plus the factorised (2+1)-D convolutions "3+3×3" and "3+1×1". */
  public static final List<String> PVNAS_OT = List.of("none", "skip_connect", "avg_pool_3x3", "max_pool_3x3",
      "sep_conv_3x3", "dil_conv_3x3", "conv_3+3x3", "conv_3+1x1");

  /** PV-NAS: spatial cells (s_normal, s_reduce) over Os, temporal cells (t_normal, t_reduce) over Ot. */
  public static final SearchSpace PVNAS = new SearchSpace("pvnas", pvnasCells(PVNAS_OS, PVNAS_OT), 2, 4, 2, 3,
      "video-pvnas");

  /** PV-NAS' four cell types with Os everywhere: the "spatial operations only" baseline of {@link #PVNAS}. */
  public static final SearchSpace PVNAS_S = new SearchSpace("pvnas-s", pvnasCells(PVNAS_OS, PVNAS_OS), 2, 4, 2, 3,
      "video-pvnas");

  /**
   * NAS-Bench-201's topology search space (Dong &amp; Yang 2020, Section 2.1; CDARTS Section 4.2,
   * Table 2): one cell type, 4 nodes (the input and three computed nodes), every earlier node
   * feeding every later one (6 edges), operations zero, identity, ReLU–1×1 conv–BN, ReLU–3×3
   * conv–BN and 3×3 average pooling; 5^6 = 15,625 cells. Searched and derived in the
   * {@code nb201} macro. Genotypes read and write NAS-Bench-201's architecture strings
   * ({@code dev.nas.core.genotype.Nb201Strings}).
   */
  public static final SearchSpace NB201 = new SearchSpace("nb201", List.of(new CellType("cell", false,
      List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"))), 1, 3, 0, 2, "nb201",
      Topology.DENSE);

  /** The operation that outputs zeros: weighted in DARTS' softmax, never computed, never kept. */
  public static final String NONE = "none";

  private static final Map<String, SearchSpace> SPACES = new LinkedHashMap<>();

  static {
    for (SearchSpace s : List.of(DARTS, O2D, O2D_VIDEO, O3D, OADV, O2D_VIDEO_SHARED, O3D_SHARED, OADV_SHARED, PVNAS,
        PVNAS_S, NB201)) {
      SPACES.put(s.name, s);
    }
  }

  public SearchSpace {
    cellTypes = List.copyOf(cellTypes);
    if (topology == Topology.DENSE && inputsPerNode != 0) {
      throw new IllegalArgumentException("space " + name + " keeps every edge; inputsPerNode must be 0, got "
          + inputsPerNode);
    }
    if (spatialRank != 2 && spatialRank != 3) {
      throw new IllegalArgumentException("space " + name + " has spatial rank " + spatialRank
          + "; 2 (images) or 3 (clips) expected");
    }
    if (!MACROS.contains(macro)) {
      throw new IllegalArgumentException("space " + name + " names unknown macro '" + macro + "' (known: " + MACROS
          + ")");
    }
    for (CellType t : cellTypes) {
      for (String op : t.ops()) {
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
  }

  /** A space whose cell types all share {@code ops}, searched in the cifar macro (images) or video-sdas (clips). */
  public static SearchSpace uniform(String name, List<String> ops, List<String> cellTypes, int spatialRank) {
    List<CellType> types = cellTypes.stream().map(t -> new CellType(t, t.contains("reduce"), ops)).toList();
    return new SearchSpace(name, types, 2, 4, 2, spatialRank, spatialRank == 3 ? "video-sdas" : "cifar");
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

  /** The candidate operations of cell type {@code type}. */
  public List<String> ops(String type) {
    return cellType(type).ops();
  }

  /**
   * The candidate operations when every cell type has the same ones (all spaces but {@code pvnas});
   * fails for spaces with per-type operation sets, where only {@link #ops(String)} is meaningful.
   */
  public List<String> ops() {
    List<String> first = cellTypes.get(0).ops();
    for (CellType t : cellTypes) {
      if (!t.ops().equals(first)) {
        throw new IllegalStateException("space " + name + " has an operation set per cell type; ask for ops(type)");
      }
    }
    return first;
  }

  /** Every operation of any cell type, in order of first appearance. */
  public List<String> allOps() {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
    cellTypes.forEach(t -> all.addAll(t.ops()));
    return List.copyOf(all);
  }

  /**
   * Indices into {@code ops(type)} of the operations a derived cell can keep: all but {@code none},
   * except in {@link Topology#DENSE} cells, where {@code none} is a choice like any other.
   */
  public int[] keepableOps(String type) {
    List<String> ops = ops(type);
    return IntStream.range(0, ops.size()).filter(i -> keepsEveryEdge() || !ops.get(i).equals(NONE)).toArray();
  }

  /** Whether derived cells keep every edge ({@link Topology#DENSE}) instead of selecting node inputs. */
  public boolean keepsEveryEdge() {
    return topology == Topology.DENSE;
  }

  /**
   * Whether a cell brings its inputs to its width first (DARTS: the two previous cells' outputs
   * through ReLU–1×1 conv–BN or FactorizedReduce); a NAS-Bench-201 cell takes its one input as it is.
   */
  public boolean preprocessesInputs() {
    return topology == Topology.DARTS;
  }

  /** How many incoming edges intermediate node {@code node} keeps in a derived cell. */
  public int inputsOf(int node) {
    return keepsEveryEdge() ? inputStates + node : inputsPerNode;
  }

  /** The states a derived cell outputs: every intermediate node (concatenated), or the last one ({@link Topology#DENSE}). */
  public List<Integer> outputStates() {
    int first = keepsEveryEdge() ? inputStates + intermediateNodes - 1 : inputStates;
    return IntStream.range(first, inputStates + intermediateNodes).boxed().toList();
  }

  public CellType cellType(String type) {
    return cellTypes.stream().filter(c -> c.name().equals(type)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("space " + name + " has no cell type " + type));
  }

  /** Names of the cell types. */
  public List<String> cellTypeNames() {
    return cellTypes.stream().map(CellType::name).toList();
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

  /** Index of {@code op} among the operations of a space whose cell types share them ({@link #ops()}). */
  public int opIndex(String op) {
    int i = ops().indexOf(op);
    if (i < 0) {
      throw new IllegalArgumentException("operation " + op + " is not in space " + name);
    }
    return i;
  }

  /** Index of {@code op} in the operations of cell type {@code type}. */
  public int opIndex(String type, String op) {
    int i = ops(type).indexOf(op);
    if (i < 0) {
      throw new IllegalArgumentException("operation " + op + " is not in the " + type + " cells of space " + name);
    }
    return i;
  }
}
