import { z } from 'zod';

/** What a model is used for. Code asks for a role, never for a model ID. */
export const ModelRole = {
  sceneSummary: 'sceneSummary',
  scriptAnalysis: 'scriptAnalysis',
} as const;
export type ModelRole = (typeof ModelRole)[keyof typeof ModelRole];

/** The one environment variable that overrides each role's model. */
export const modelRoleEnvVar: Record<ModelRole, string> = {
  sceneSummary: 'MODEL_SCENE_SUMMARY',
  scriptAnalysis: 'MODEL_SCRIPT_ANALYSIS',
};

export const defaultModelForRole: Record<ModelRole, string> = {
  // Fast and cheap: one call per scene, many scenes per script.
  sceneSummary: 'claude-haiku-4-5',
  scriptAnalysis: 'claude-sonnet-4-5',
};

export type ModelSelection = Record<ModelRole, string>;

const modelId = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@/-]+$/, 'must be a model ID or alias such as claude-haiku-4-5');

/**
 * Reads the per-role overrides. Throws a ZodError whose path names the variable, so
 * a service's config loader reports it like any other bad setting.
 */
export function loadModelSelection(env: Record<string, string | undefined>): ModelSelection {
  const schema = z.object(
    Object.fromEntries(
      Object.values(ModelRole).map((role) => [
        modelRoleEnvVar[role],
        modelId.default(defaultModelForRole[role]),
      ]),
    ),
  );
  const parsed = schema.parse(
    Object.fromEntries(
      Object.values(modelRoleEnvVar).map((name) => [name, env[name] === '' ? undefined : env[name]]),
    ),
  ) as Record<string, string>;
  return Object.fromEntries(
    Object.values(ModelRole).map((role) => [role, parsed[modelRoleEnvVar[role]]!]),
  ) as ModelSelection;
}
