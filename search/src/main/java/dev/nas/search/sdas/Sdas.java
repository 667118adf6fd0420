package dev.nas.search.sdas;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.ops.SearchSpace;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.SearchConfig;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.algo.SupernetAlgorithm;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.Mixing;
import dev.nas.search.supernet.Supernet;
import java.util.Locale;
import java.util.Optional;

/**
 * SDAS: DAS discretized one step at a time on a schedule ({@link Scheduler}); its genotype is the
 * discrete network its decisions lead to, the remaining ones taken greedily now.
 */
public final class Sdas extends SupernetAlgorithm {
  private final Schedule schedule;

  public Sdas(Schedule schedule) {
    super("sdas-" + schedule.name().toLowerCase(Locale.ROOT), "SDAS, scheduled discretization, schedule "
        + schedule.name() + " (" + schedule.describe() + ")");
    this.schedule = schedule;
  }

  /**
   * The SDAS paper's search settings (Section 4.1): DARTS' with the weight learning rate
   * cosine-annealed to 0 ("annealed down to zero"); α and β start at 0 ({@link BetaMixing#initialScale});
   * one decision queue for the architecture ({@link DecisionQueue#SHARED}).
   */
  @Override
  public SearchConfig defaults() {
    SearchConfig d = SearchAlgorithms.dartsSettings(name(), null, SdasSettings.PAPER);
    return d.withWeights(d.weights().withLrMin(0));
  }

  @Override
  public void validate(SearchConfig.Settings settings) {
    super.validate(new SearchConfig.Settings(settings.schedule(), settings.cdarts(), null));
    if (settings.sdas() == null) {
      throw new IllegalArgumentException("an " + name() + " configuration needs its SDAS settings");
    }
    if (settings.sdas().genotypeRule() != GenotypeRule.DAS) {
      throw new IllegalArgumentException("--genotype-rule chooses how das reads its genotype; " + name()
          + " takes its genotype from its decisions");
    }
  }

  @Override
  public Mixing mixing(SearchSpace space, Discretization state, boolean normalizeEdges) {
    return new BetaMixing(space, state, normalizeEdges);
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
