package dev.nas.search.cost;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;

/**
 * The network a search will be derived into, whose cost the search optimises (not the
 * supernet's): macro and width, as {@code nas derive} takes them. Zeros read as the macro's
 * evaluation network ({@link MacroConfig#defaults}: DARTS' C=36, 20 cells for cifar).
 *
 * @param macro macro kind id; null reads as the supernet's macro
 * @param channels initial width C
 * @param layers cells (image macros)
 * @param repeat normal cells per stage K (video macros)
 * @param stemChannels C1 of the video stems
 */
public record DerivedShape(String macro, int channels, int layers, int repeat, int stemChannels) {
  /** The network of this shape for {@code input} and {@code classes}, the supernet's macro {@code supernetMacro} by default. */
  public MacroConfig macro(MacroConfig.Kind supernetMacro, FeatureShape input, int classes) {
    MacroConfig.Kind kind = macro == null ? supernetMacro : MacroConfig.Kind.parse(macro);
    MacroConfig d = MacroConfig.defaults(kind);
    int c = channels > 0 ? channels : d.channels();
    if (kind.video()) {
      return MacroConfig.video(kind, c, repeat > 0 ? repeat : d.repeat(), stemChannels > 0 ? stemChannels
          : d.stemChannels(), classes, input, false);
    }
    return new MacroConfig(kind, c, layers > 0 ? layers : d.layers(), classes, input, false);
  }
}
