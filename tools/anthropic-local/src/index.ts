export { startAnthropicLocal, type AnthropicLocal, type AnthropicLocalOptions } from './server';
export { defaultConfig, InvalidConfigError, type ConfigPatch, type ExtraModel, type FaultSettings, type LocalConfig } from './options';
export type { Stats } from './stats';
export { ErrorStatus, type ErrorBody, type ErrorType } from './errors';
// The seeded PRNG behind its faults, for every other test tool that must repeat itself from a seed.
export { createPrng } from './faults';
