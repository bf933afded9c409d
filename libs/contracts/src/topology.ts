import { Subject } from './subjects';
import { Bucket, type BucketKey } from './buckets';
import { Stream, type StreamKey } from './streams';

/**
 * Names on the wire for one deployment. A namespace puts every subject and stream of a
 * deployment apart from others on the same NATS server (tests run side by side this way).
 */
export interface Topology {
  namespace: string;
  subject(subject: Subject): string;
  streamName(stream: StreamKey): string;
  bucketName(bucket: BucketKey): string;
}

const NAMESPACE = /^[a-z0-9_-]{0,32}$/;

export function namespaced(namespace = ''): Topology {
  if (!NAMESPACE.test(namespace)) {
    throw new Error(`NATS namespace "${namespace}" must match ${NAMESPACE}`);
  }
  const prefixed = (name: string) => (namespace ? `${namespace.toUpperCase().replace(/-/g, '_')}_${name}` : name);
  return {
    namespace,
    subject: (subject) => (namespace ? `${namespace}.${subject}` : subject),
    streamName: (stream) => prefixed(Stream[stream].name),
    bucketName: (bucket) => prefixed(Bucket[bucket].name),
  };
}
