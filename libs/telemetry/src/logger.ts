import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerConfig {
  service: string;
  /** @default 'info' */
  level?: string;
  /** Human-readable lines (pino-pretty) instead of JSON, for a person at a terminal. @default false */
  pretty?: boolean;
  /** Where JSON lines go. @default standard output */
  destination?: DestinationStream;
}

/**
 * Anything that can carry a secret, wherever it sits in a logged object. pino replaces the
 * value, so a key or token never reaches a log line even when a whole config or request is logged.
 */
const secretKeys = ['apiKey', 'apiKeys', 'anthropicApiKey', 'ANTHROPIC_API_KEY', 'API_KEYS', 'password', 'token', 'authorization'];

export const redactedPaths = [
  // The key itself, and up to two levels down (config.anthropic.apiKey, req.headers.authorization).
  ...secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  '*["x-api-key"]',
];

/** The one logger factory: level as a label, the service on every line, secrets redacted. */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  if (config.pretty) {
    return pino(
      options,
      pino.transport({
        target: 'pino-pretty',
        options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true },
      }),
    );
  }
  return config.destination ? pino(options, config.destination) : pino(options);
}
