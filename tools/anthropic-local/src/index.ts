export { startAnthropicLocal, type AnthropicLocal, type AnthropicLocalOptions } from './server';
export { defaultConfig, InvalidConfigError, type ConfigPatch, type ExtraModel, type FaultSettings, type LocalConfig } from './options';
export type { Stats } from './stats';
export type { SceneSummary } from './scene-summary';
export { ErrorStatus, type ErrorBody, type ErrorType } from './errors';
