import { type ModelCheck, type ModelRole, type ModelSelection, ModelValidator } from '@scenewise/model-config';

/** Whether every configured role's model answers on the Models API, and what it resolves to. */
export async function checkModels(validator: ModelValidator, models: ModelSelection): Promise<ModelCheck[]> {
  return Promise.all((Object.keys(models) as ModelRole[]).map((role) => validator.check(role, models[role])));
}
