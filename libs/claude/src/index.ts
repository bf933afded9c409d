export * from './claude-task';
export * from './claude-call';
export * from './classify-error';
export * from './rate-limit-headers';
export * from './structured-output';
export * from './scene-summary.task';
export * from './settings';
