import { findRetiredModel } from './catalog';
import { ModelRole, modelRoleEnvVar } from './roles';

/** The part of the Anthropic SDK client the check needs (`client.models.retrieve`). */
export interface ModelsApi {
  models: {
    retrieve(modelId: string): PromiseLike<{ id: string; display_name?: string }>;
  };
}

export type ModelCheck =
  | { ok: true; role: ModelRole; model: string; resolvedId: string; displayName?: string }
  | {
      ok: false;
      role: ModelRole;
      model: string;
      reason: 'retired' | 'not_found' | 'unreachable';
      message: string;
      replacement?: string;
    };

/** Explains why a model cannot serve a role, naming the variable to change and the fix. */
export function describeUnavailableModel(role: ModelRole, model: string): string {
  const envVar = modelRoleEnvVar[role];
  const retired = findRetiredModel(model);
  if (retired?.note) {
    return `model ${model} (role ${role}) is not available: ${retired.note}; set ${envVar} to ${retired.replacement}`;
  }
  if (retired) {
    return `model ${model} (role ${role}) was retired on ${retired.retiredOn}; set ${envVar} to ${retired.replacement}`;
  }
  return `model ${model} (role ${role}) was not found on the Models API; set ${envVar} to a current model`;
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Checks models against the Models API (`GET /v1/models/{id}`), caching answers for `ttlMs`.
 * An alias resolves to the pinned ID that will serve it. Only definite answers are cached:
 * an unreachable API is asked again next time.
 */
export class ModelValidator {
  private readonly cache = new Map<string, { at: number; check: ModelCheck }>();

  constructor(
    private readonly api: ModelsApi,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  async check(role: ModelRole, model: string): Promise<ModelCheck> {
    const now = this.options.now?.() ?? Date.now();
    const key = `${role}\u0000${model}`;
    const cached = this.cache.get(key);
    if (cached && now - cached.at < (this.options.ttlMs ?? 5 * 60_000)) return cached.check;

    let check: ModelCheck;
    try {
      const found = await this.api.models.retrieve(model);
      check = { ok: true, role, model, resolvedId: found.id, displayName: found.display_name };
    } catch (err) {
      if (statusOf(err) !== 404) {
        const reason = err instanceof Error ? err.message : String(err);
        return { ok: false, role, model, reason: 'unreachable', message: `Models API did not answer for ${model}: ${reason}` };
      }
      const retired = findRetiredModel(model);
      check = {
        ok: false,
        role,
        model,
        reason: retired ? 'retired' : 'not_found',
        message: describeUnavailableModel(role, model),
        replacement: retired?.replacement,
      };
    }
    this.cache.set(key, { at: now, check });
    return check;
  }
}
