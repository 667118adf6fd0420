package dev.nas.search.sdas;

import dev.nas.core.genotype.Genotype;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.SearchConfig;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.Supernet;
import java.util.Locale;
import java.util.Optional;

/**
 * SDAS: DAS discretized one step at a time on a schedule ({@link Scheduler}); its genotype is the
 * discrete network its decisions lead to, the remaining ones taken greedily now.
 */
public final class Sdas extends SdasPaperAlgorithm {
  private final Schedule schedule;

  public Sdas(Schedule schedule) {
    super("sdas-" + schedule.name().toLowerCase(Locale.ROOT), "SDAS, scheduled discretization, schedule "
        + schedule.name() + " (" + schedule.describe() + ")");
    this.schedule = schedule;
  }

  @Override
  public void validate(SearchConfig.Settings settings) {
    super.validate(settings);
    if (settings.sdas().genotypeRule() != GenotypeRule.DAS) {
      throw new IllegalArgumentException("--genotype-rule chooses how das reads its genotype; " + name()
          + " takes its genotype from its decisions");
    }
  }

  @Override
  public Optional<Schedule> decisionSchedule() {
    return Optional.of(schedule);
  }

  @Override
  public Genotype derive(Supernet net, long iteration, SearchConfig c) {
    BetaMixing beta = (BetaMixing) net.mixing();
    return GenotypeDeriver.derive(net.config().space(), beta.discreteWeights(net.params(), iteration));
  }
}
