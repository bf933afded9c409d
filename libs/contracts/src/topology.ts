import { Subject } from './subjects';
import { Stream, type StreamKey } from './streams';

/**
 * Names on the wire for one deployment. A namespace puts every subject and stream of a
 * deployment apart from others on the same NATS server (tests run side by side this way).
 */
export interface Topology {
  namespace: string;
  subject(subject: Subject): string;
  streamName(stream: StreamKey): string;
}

const NAMESPACE = /^[a-z0-9_-]{0,32}$/;

export function namespaced(namespace = ''): Topology {
  if (!NAMESPACE.test(namespace)) {
    throw new Error(`NATS namespace "${namespace}" must match ${NAMESPACE}`);
  }
  return {
    namespace,
    subject: (subject) => (namespace ? `${namespace}.${subject}` : subject),
    streamName: (stream) =>
      namespace ? `${namespace.toUpperCase().replace(/-/g, '_')}_${Stream[stream].name}` : Stream[stream].name,
  };
}
