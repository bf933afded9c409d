import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { RateBudgetSchema } from '@scenewise/contracts';
import type { BudgetStore } from './rate-pacer';

const isConflict = (err: unknown) =>
  err instanceof JetStreamApiError &&
  (err.code === JetStreamApiCodes.StreamWrongLastSequence || err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Budgets in a NATS KV bucket, written with compare-and-set on the key's revision, so two
 * instances taking turns at the same moment cannot both take the same one. A value that does
 * not parse is treated as absent (and overwritten by the next write).
 */
export function kvBudgetStore(kv: KV): BudgetStore {
  return {
    async read(key) {
      const entry = await kv.get(key);
      if (!entry || entry.operation !== 'PUT') return null;
      const parsed = RateBudgetSchema.safeParse(parseJson(entry.string()));
      return { budget: parsed.success ? parsed.data : { limits: {}, observedAt: 0 }, revision: entry.revision };
    },
    async write(key, budget, revision) {
      const value = JSON.stringify(RateBudgetSchema.parse(budget));
      try {
        return revision === null ? await kv.create(key, value) : await kv.update(key, value, revision);
      } catch (err) {
        if (isConflict(err)) return null;
        throw err;
      }
    },
  };
}
