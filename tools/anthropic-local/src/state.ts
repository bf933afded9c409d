import { FaultInjector } from './faults';
import { ModelCatalogue } from './models';
import { defaultConfig, mergeConfig, type LocalConfig } from './options';
import { RateLimiter } from './rate-limiter';
import { StatsRecorder } from './stats';

const limitsOf = (c: LocalConfig) => ({
  requestsPerMinute: c.requestsPerMinute,
  inputTokensPerMinute: c.inputTokensPerMinute,
  outputTokensPerMinute: c.outputTokensPerMinute,
});

/** Everything a running server knows, shared by its routes. */
export class LocalState {
  config: LocalConfig;
  catalogue: ModelCatalogue;
  readonly limiter: RateLimiter;
  readonly injector: FaultInjector;
  readonly stats = new StatsRecorder();

  /** Throws InvalidConfigError on bad options. */
  constructor(options: unknown = {}, now: () => number = Date.now) {
    this.config = mergeConfig(defaultConfig, options);
    this.catalogue = new ModelCatalogue(this.config.extraModels, this.config.retiredModels);
    this.limiter = new RateLimiter(limitsOf(this.config), now);
    this.injector = new FaultInjector(this.config.seed);
  }

  /** Merges a patch into the running config (throws InvalidConfigError, leaving it unchanged). */
  configure(patch: unknown): LocalConfig {
    const next = mergeConfig(this.config, patch);
    const previous = this.config;
    this.config = next;
    this.catalogue = new ModelCatalogue(next.extraModels, next.retiredModels);
    this.limiter.setLimits(limitsOf(next));
    if (next.seed !== previous.seed) this.injector.restart(next.seed);
    return next;
  }

  /** Zeroes the stats, refills the rate limits and restarts the fault sequence from the seed. */
  reset(): void {
    this.stats.reset();
    this.limiter.reset();
    this.injector.restart(this.config.seed);
  }
}
