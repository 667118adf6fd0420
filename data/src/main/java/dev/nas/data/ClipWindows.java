package dev.nas.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a training clip's window may start in a video-folder video ({@code --clip-windows}).
 * A window spans {@code frames × stride} frames ({@link ClipSampler}).
 */
public enum ClipWindows {
  /** At any frame: every window that fits the video is equally likely (nas' default). */
  ANY,
  /**
   * At multiples of the window's length only, so the windows a video can give are its
   * non-overlapping clips, one of which is drawn per epoch: SDAS, Section 5.2, crops its
   * 16×112×112 inputs "from the non-overlapping 16-frame clip".
   */
  ALIGNED;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code any} or {@code aligned}; null reads as {@link #ANY} (configurations written before the option). */
  @JsonCreator
  public static ClipWindows parse(String id) {
    if (id == null) {
      return ANY;
    }
    for (ClipWindows w : values()) {
      if (w.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
    throw new DatasetException("--clip-windows must be any or aligned, not '" + id + "'");
  }
}
