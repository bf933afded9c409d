export * from './buckets';
export * from './bus';
export * from './connect';
export * from './errors';
export * from './heartbeat';
export * from './semaphore';
export * from './topology-setup';
