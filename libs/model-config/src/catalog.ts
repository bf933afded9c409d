/**
 * The only place in the repository where Claude model IDs are written down.
 * Everything else asks for a role and gets a model from here (see roles.ts).
 */

/** USD per million tokens. */
export interface ModelPricing {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export interface ModelInfo {
  /** The pinned ID the Models API returns. */
  id: string;
  /** Aliases that resolve to this ID. */
  aliases: readonly string[];
  displayName: string;
  createdAt: string;
  pricing: ModelPricing;
}

export interface RetiredModel {
  id: string;
  /** ISO date on which the API stopped serving it (or a note when it never existed). */
  retiredOn: string;
  replacement: string;
  note?: string;
}

const price = (input: number, output: number): ModelPricing => ({
  input,
  output,
  // Anthropic prices 5-minute cache writes at 1.25x input and cache reads at 0.1x input.
  cacheWrite: +(input * 1.25).toFixed(4),
  cacheRead: +(input * 0.1).toFixed(4),
});

export const currentModels: readonly ModelInfo[] = [
  {
    id: 'claude-haiku-4-5-20251001',
    aliases: ['claude-haiku-4-5'],
    displayName: 'Claude Haiku 4.5',
    createdAt: '2025-10-01T00:00:00Z',
    pricing: price(1, 5),
  },
  {
    id: 'claude-sonnet-4-5-20250929',
    aliases: ['claude-sonnet-4-5'],
    displayName: 'Claude Sonnet 4.5',
    createdAt: '2025-09-29T00:00:00Z',
    pricing: price(3, 15),
  },
  {
    id: 'claude-opus-4-5-20251101',
    aliases: ['claude-opus-4-5'],
    displayName: 'Claude Opus 4.5',
    createdAt: '2025-11-01T00:00:00Z',
    pricing: price(5, 25),
  },
  {
    id: 'claude-opus-4-1-20250805',
    aliases: ['claude-opus-4-1'],
    displayName: 'Claude Opus 4.1',
    createdAt: '2025-08-05T00:00:00Z',
    pricing: price(15, 75),
  },
  {
    id: 'claude-sonnet-4-20250514',
    aliases: ['claude-sonnet-4-0'],
    displayName: 'Claude Sonnet 4',
    createdAt: '2025-05-14T00:00:00Z',
    pricing: price(3, 15),
  },
];

/**
 * Models the API no longer serves (Anthropic's model deprecations page), plus IDs that were
 * suggested in the wild but never existed, so an error can name a working replacement.
 */
export const retiredModels: readonly RetiredModel[] = [
  { id: 'claude-3-5-sonnet-20241022', retiredOn: '2025-10-22', replacement: 'claude-sonnet-4-5' },
  { id: 'claude-3-5-sonnet-20240620', retiredOn: '2025-10-22', replacement: 'claude-sonnet-4-5' },
  { id: 'claude-3-sonnet-20240229', retiredOn: '2025-07-21', replacement: 'claude-sonnet-4-5' },
  { id: 'claude-2.1', retiredOn: '2025-07-21', replacement: 'claude-sonnet-4-5' },
  { id: 'claude-2.0', retiredOn: '2025-07-21', replacement: 'claude-sonnet-4-5' },
  { id: 'claude-instant-1.2', retiredOn: '2024-11-06', replacement: 'claude-haiku-4-5' },
  { id: 'claude-3-opus-20240229', retiredOn: '2026-01-05', replacement: 'claude-opus-4-5' },
  { id: 'claude-3-7-sonnet-20250219', retiredOn: '2026-02-19', replacement: 'claude-sonnet-4-5' },
  { id: 'claude-3-5-haiku-20241022', retiredOn: '2026-02-19', replacement: 'claude-haiku-4-5' },
  {
    id: 'claude-3-5-sonnet-20250219',
    retiredOn: 'never released',
    replacement: 'claude-sonnet-4-5',
    note: 'this ID never existed',
  },
  {
    id: 'claude-3-5-haiku-20250219',
    retiredOn: 'never released',
    replacement: 'claude-haiku-4-5',
    note: 'this ID never existed',
  },
];

/** The model that serves an ID or an alias, if it is a current one. */
export function findModel(idOrAlias: string): ModelInfo | undefined {
  return currentModels.find((m) => m.id === idOrAlias || m.aliases.includes(idOrAlias));
}

export function findRetiredModel(id: string): RetiredModel | undefined {
  return retiredModels.find((m) => m.id === id);
}
