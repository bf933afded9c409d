export * from './catalog';
export * from './pricing';
export * from './roles';
export * from './validation';
export * from './anthropic';
