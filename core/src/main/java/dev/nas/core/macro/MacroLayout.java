package dev.nas.core.macro;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.graph.GraphBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The one definition of every macro's stem and cell sequence, used by both the supernet and
 * derived networks so that the two are wired identically.
 *
 * <ul>
 *   <li>{@code cifar}, {@code imagenet} (DARTS): {@code layers} cells, reduction cells (stride 2,
 *       doubling the width) at 1/3 and 2/3 of the depth; cell types {@code normal}, {@code reduce}.
 *   <li>{@code video-sdas} (SDAS Fig. 5c): stem, ST-reduction (2,2,2) → K normal → S-reduction
 *       (1,2,2) → K normal → S-reduction (1,2,2) → K normal; 3K+3 cells, the width doubling at the
 *       two S-reductions (the first cell's output is the paper's C2 = 4·C); types {@code normal},
 *       {@code st_reduce}, {@code s_reduce} (SDAS Section 4, Fig. 9), or {@code normal} and one
 *       {@code reduce} at all three reductions for a space or genotype with only those (the
 *       {@code -shared} spaces). Searched in the same layout.
 *   <li>{@code video-pvnas} (PV-NAS Fig. 5): SDAS' stem, then for the search S-NC → S-RC → T-NC →
 *       T-RC (each once, K ignored; Section 4, "L = 4") and for derived networks the four stages
 *       of SlowFast's slow path, whose meta-architecture the paper says it shares (Section 4.2):
 *       S-NC×K → S-RC → S-NC×K → T-RC → T-NC×K → T-RC → T-NC×K, 4K+3 cells — 11 at K=2, the "11
 *       layers" of PV-NAS-M (Section 1), and the final width 4·8·C = 2048 of the slow path's res5 at
 *       PV-NAS-L's C=64. S-RC stride (1,2,2), the first T-RC (2,2,2) as in the search, the second
 *       (1,2,2) so that the paper's 8-frame clips keep two frames in the last stage (the slow path
 *       never halves T; the paper does not say); the width doubles at every reduction; types
 *       {@code s_normal}, {@code s_reduce}, {@code t_normal}, {@code t_reduce}.
 *   <li>{@code nb201} (NAS-Bench-201, Section 2.1): 3×3 stem, N cells → residual block (stride 2,
 *       doubling the width) → N cells → residual block → N cells, with {@code layers} = 3N; one
 *       cell type, {@code cell}, whose cells keep the width of their single input. Searched in the
 *       same layout (NAS-Bench-201 searches in the evaluated network).
 * </ul>
 */
public final class MacroLayout {
  private MacroLayout() {}

  /** Which network the layout is for: the supernet (search) or a derived network. */
  public enum Stage { SEARCH, DERIVED }

  private record Slot(String type, List<Integer> stride, boolean widens) {}

  private static final List<Integer> ST = List.of(2, 2, 2);
  private static final List<Integer> S = List.of(1, 2, 2);
  private static final String ST_REDUCE = "st_reduce";
  private static final String S_REDUCE = "s_reduce";

  /** The type of the nb201 macro's places that hold a fixed residual block, not a genotype cell. */
  public static final String RESIDUAL_BLOCK = "residual_block";

  /** Cells of a derived video network with {@code repeat} normal cells per stage. */
  public static int derivedCells(MacroConfig.Kind kind, int repeat) {
    return switch (kind) {
      case VIDEO_SDAS -> 3 * repeat + 3;
      case VIDEO_PVNAS -> 4 * repeat + 3;
      default -> throw new IllegalArgumentException("the " + kind.id() + " macro has no repeat K; its depth is --layers");
    };
  }

  /**
   * The cell types a macro stacks for a space or genotype with cell types {@code available}: the
   * video-sdas macro's ST- and S-reductions are its {@code st_reduce} and {@code s_reduce} cells,
   * or its one {@code reduce} cell when it has no {@code st_reduce}.
   */
  public static List<String> cellTypes(MacroConfig.Kind kind, Collection<String> available) {
    return switch (kind) {
      case VIDEO_PVNAS -> List.of("s_normal", "s_reduce", "t_normal", "t_reduce");
      case NB201 -> List.of("cell");
      case VIDEO_SDAS -> available.contains(ST_REDUCE) ? List.of("normal", ST_REDUCE, S_REDUCE)
          : List.of("normal", "reduce");
      default -> List.of("normal", "reduce");
    };
  }

  /** Whether any entry of a stride vector exceeds 1. */
  public static boolean strided(List<Integer> stride) {
    return stride.stream().anyMatch(s -> s > 1);
  }

  /** Product of the strides of the stem and all cells, per spatial axis (T, H, W for clips). */
  public static List<Integer> totalStride(MacroConfig.Kind kind, Stage stage) {
    return switch (kind) {
      case CIFAR, NB201 -> List.of(4, 4);
      case IMAGENET -> List.of(32, 32);
      case VIDEO_SDAS -> List.of(4, 16, 16);
      case VIDEO_PVNAS -> stage == Stage.SEARCH ? List.of(4, 8, 8) : List.of(4, 16, 16);
      case RESNET -> List.of(4, 4);
      case RESNET3D -> List.of(4, 4, 4);
    };
  }

  /** Fails with one message when a clip is smaller than a video macro's total stride along some axis. */
  public static void requireFits(MacroConfig.Kind kind, FeatureShape input, Stage stage) {
    List<Integer> total = totalStride(kind, stage);
    for (int i = 0; i < total.size(); i++) {
      if (input.spatial(i) < total.get(i)) {
        throw new IllegalArgumentException("the " + kind.id() + " macro reduces T×H×W by " + total.get(0) + "×"
            + total.get(1) + "×" + total.get(2) + "; input " + input + " is too small (needs at least "
            + total.get(0) + " frames of " + total.get(1) + "×" + total.get(2) + ")");
      }
    }
  }

  /**
   * Builds the stem of {@code kind} on {@code x}; {@code channels} is the cell width C,
   * {@code stemChannels} the video stems' C1 (ignored by image stems).
   */
  public static MacroBlocks.StemOutputs stem(GraphBuilder b, MacroConfig.Kind kind, int x, int channels,
      int stemChannels) {
    return MacroBlocks.stem(b, kind, x, channels, stemChannels);
  }

  private static List<Slot> sequence(MacroConfig.Kind kind, int layers, int repeat, Stage stage,
      Collection<String> available) {
    List<Slot> out = new ArrayList<>();
    switch (kind) {
      case CIFAR, IMAGENET -> {
        for (int i = 0; i < layers; i++) {
          boolean reduction = i == layers / 3 || i == 2 * layers / 3;
          out.add(reduction ? new Slot("reduce", List.of(2, 2), true) : new Slot("normal", List.of(1, 1), false));
        }
      }
      case NB201 -> {
        if (layers <= 0 || layers % 3 != 0) {
          throw new IllegalArgumentException("the nb201 macro needs --layers 3N (three stages of N cells), got "
              + layers);
        }
        for (int part = 0; part < 3; part++) {
          if (part > 0) {
            out.add(new Slot(RESIDUAL_BLOCK, List.of(2, 2), true));
          }
          for (int i = 0; i < layers / 3; i++) {
            out.add(new Slot("cell", List.of(1, 1), false));
          }
        }
      }
      case VIDEO_SDAS -> {
        requireRepeat(kind, repeat);
        boolean split = available.contains(ST_REDUCE);
        out.add(new Slot(split ? ST_REDUCE : "reduce", ST, false));
        normals(out, "normal", repeat);
        out.add(new Slot(split ? S_REDUCE : "reduce", S, true));
        normals(out, "normal", repeat);
        out.add(new Slot(split ? S_REDUCE : "reduce", S, true));
        normals(out, "normal", repeat);
      }
      case VIDEO_PVNAS -> {
        int k = stage == Stage.SEARCH ? 1 : repeat;
        requireRepeat(kind, k);
        normals(out, "s_normal", k);
        out.add(new Slot("s_reduce", S, true));
        if (stage == Stage.SEARCH) { // Fig. 5a: S-NC → S-RC → T-NC → T-RC
          normals(out, "t_normal", k);
          out.add(new Slot("t_reduce", ST, true));
        } else { // Fig. 5b on the slow path's four stages: res2, res3 spatial; res4, res5 temporal
          normals(out, "s_normal", k);
          out.add(new Slot("t_reduce", ST, true));
          normals(out, "t_normal", k);
          out.add(new Slot("t_reduce", S, true));
          normals(out, "t_normal", k);
        }
      }
      case RESNET, RESNET3D -> throw new IllegalArgumentException("the " + kind.id() + " macro stacks basic blocks, "
          + "not genotype cells");
    }
    return out;
  }

  private static void requireRepeat(MacroConfig.Kind kind, int repeat) {
    if (repeat <= 0) {
      throw new IllegalArgumentException("the " + kind.id() + " macro needs repeat K > 0, got " + repeat);
    }
  }

  private static void normals(List<Slot> out, String type, int k) {
    for (int i = 0; i < k; i++) {
      out.add(new Slot(type, List.of(1, 1, 1), false));
    }
  }

  /**
   * Plans the cells of a macro after its stem.
   *
   * @param layers cell count of the image macros (ignored by the video macros)
   * @param repeat K of the video macros (ignored by the image macros)
   * @param channels cell width C of the first cells
   * @param multiplier output channels of a cell per unit of its width, by cell type (the concat size;
   *     never asked for the nb201 macro's residual blocks, which output their width)
   * @param available the cell types of the space or genotype ({@link #cellTypes})
   */
  public static List<CellPlan> plan(MacroConfig.Kind kind, int layers, int repeat, Stage stage,
      MacroBlocks.StemOutputs stem, int channels, ToIntFunction<String> multiplier, Collection<String> available) {
    List<CellPlan> cells = new ArrayList<>();
    int cpp = stem.prevPrevChannels();
    int cp = stem.prevChannels();
    int c = channels;
    List<Integer> prevStride = stem.prevStride();
    List<Slot> slots = sequence(kind, layers, repeat, stage, available);
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      if (s.widens()) {
        c *= 2;
      }
      cells.add(new CellPlan(i, s.type(), s.stride(), prevStride, cpp, cp, c));
      cpp = cp;
      cp = s.type().equals(RESIDUAL_BLOCK) ? c : multiplier.applyAsInt(s.type()) * c;
      prevStride = s.stride();
    }
    return cells;
  }

  /** Plans the cells of {@code m} (a derived network) for a genotype with cell types {@code available}. */
  public static List<CellPlan> plan(MacroConfig m, MacroBlocks.StemOutputs stem, ToIntFunction<String> multiplier,
      Collection<String> available) {
    return plan(m.kind(), m.layers(), m.repeat(), Stage.DERIVED, stem, m.channels(), multiplier, available);
  }

  /**
   * The cell after which the training-only auxiliary head attaches: the last reduction cell
   * (DARTS: cell 2L/3).
   */
  public static int auxiliaryCell(List<CellPlan> cells) {
    for (int i = cells.size() - 1; i >= 0; i--) {
      if (cells.get(i).reduction()) {
        return i;
      }
    }
    throw new IllegalArgumentException("the macro has no reduction cell to attach the auxiliary head after");
  }

}
