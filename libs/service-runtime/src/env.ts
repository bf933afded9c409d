import { z } from 'zod';

/** A setting that stops the service at start-up; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses flat environment variables with a zod schema, once, at start-up. Empty strings
 * count as unset, so `FOO=` in a compose file falls back to the default.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const given = issue.path.length ? cleaned[String(issue.path[0])] : undefined;
    // Never echo what looks like a secret back into a log.
    const shown = given === undefined || /KEY|SECRET|PASSWORD|TOKEN/i.test(name) ? '' : ` (got "${given}")`;
    return `${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/** Schema pieces every service shares. */
export const envPieces = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback),
  natsUrl: z.string().min(1).default('nats://127.0.0.1:4222'),
  natsNamespace: z
    .string()
    .regex(/^[a-z0-9_-]{0,32}$/, 'lower-case letters, digits, "-" and "_" only')
    .default(''),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .default('postgresql://root@127.0.0.1:5432/scenewise'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A switch, off unless set. */
  flag: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** A switch, on unless set off. */
  flagOn: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
};

/** NATS_URL, NATS_NAMESPACE and optional credentials, as every service reads them. */
export const natsEnv = {
  NATS_URL: envPieces.natsUrl,
  NATS_NAMESPACE: envPieces.natsNamespace,
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_TOKEN: z.string().optional(),
  /** Copies of each JetStream stream: 1 on a single server, 3 on a 3-node cluster. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
};

export function natsSettings(env: {
  NATS_URL: string;
  NATS_NAMESPACE: string;
  NATS_USER?: string | undefined;
  NATS_PASSWORD?: string | undefined;
  NATS_TOKEN?: string | undefined;
  NATS_STREAM_REPLICAS?: number;
}) {
  return {
    streamReplicas: env.NATS_STREAM_REPLICAS ?? 1,
    servers: env.NATS_URL,
    namespace: env.NATS_NAMESPACE,
    user: env.NATS_USER,
    password: env.NATS_PASSWORD,
    token: env.NATS_TOKEN,
  };
}

/**
 * What every service reads: NATS, PostgreSQL, logging and its HTTP port (probes, metrics,
 * and the api's API). Spread it into a service's schema and pass the parsed values to
 * `serviceSettings`.
 */
export function serviceEnv(defaultPort: number) {
  return {
    ...natsEnv,
    DATABASE_URL: envPieces.databaseUrl,
    LOG_LEVEL: envPieces.logLevel,
    LOG_PRETTY: envPieces.flag,
    PORT: envPieces.port(defaultPort),
    HOST: z.string().default('0.0.0.0'),
  };
}

type ServiceEnv = z.infer<z.ZodObject<ReturnType<typeof serviceEnv>>>;

export function serviceSettings(e: ServiceEnv) {
  return {
    nats: natsSettings(e),
    databaseUrl: e.DATABASE_URL,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    http: { port: e.PORT, host: e.HOST },
  };
}
