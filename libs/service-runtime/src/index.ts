export * from './env';
export * from './http';
export * from './shutdown';
export * from './version';
export * from './probes';
