export * from './logger';
export * from './nats-propagation';
export * from './with-span';
export * from './flush';
export * from './metrics';
