export * from './buckets';
export * from './messages';
export * from './streams';
export * from './subjects';
export * from './topology';
