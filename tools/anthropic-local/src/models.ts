import { currentModels, retiredModels } from '@scenewise/model-config';
import { ApiError } from './errors';
import type { ExtraModel } from './options';

export interface ServedModel {
  id: string;
  aliases: readonly string[];
  displayName: string;
  createdAt: string;
}

/** The Models API's object for one model. */
export interface ModelObject {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

export interface ModelPage {
  data: ModelObject[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export const toModelObject = (m: ServedModel): ModelObject => ({
  type: 'model',
  id: m.id,
  display_name: m.displayName,
  created_at: m.createdAt,
});

/**
 * The models the server answers for: the current catalogue plus extras, minus anything
 * retired. Retiring an alias retires its model, and retiring a model retires its aliases.
 */
export class ModelCatalogue {
  private readonly served: ServedModel[];

  constructor(extraModels: readonly ExtraModel[] = [], retired: readonly string[] = []) {
    const retiredNames = new Set([...retiredModels.map((m) => m.id), ...retired]);
    const extras: ServedModel[] = extraModels.map((m) => ({
      id: m.id,
      aliases: m.aliases ?? [],
      displayName: m.displayName ?? m.id,
      createdAt: m.createdAt ?? '1970-01-01T00:00:00Z',
    }));
    const extraIds = new Set(extras.map((m) => m.id));
    this.served = [...currentModels.filter((m) => !extraIds.has(m.id)), ...extras]
      .filter((m) => !retiredNames.has(m.id) && !m.aliases.some((a) => retiredNames.has(a)))
      // Newest first, as the real API lists them.
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  }

  /** The model serving an ID or alias, or undefined when it is unknown or retired. */
  find(idOrAlias: string): ServedModel | undefined {
    return this.served.find((m) => m.id === idOrAlias || m.aliases.includes(idOrAlias));
  }

  /** Like find, but throws the API's 404 (`model: <id>`). */
  resolve(idOrAlias: string): ServedModel {
    const model = this.find(idOrAlias);
    if (!model) throw new ApiError('not_found_error', `model: ${idOrAlias}`);
    return model;
  }

  /** One page of `GET /v1/models`, honouring `limit`, `after_id` and `before_id`. */
  list(query: URLSearchParams): ModelPage {
    const limit = Number(query.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ApiError('invalid_request_error', 'limit: Input should be an integer between 1 and 1000');
    }
    const indexOf = (param: string): number | undefined => {
      const id = query.get(param);
      if (id === null) return undefined;
      const index = this.served.findIndex((m) => m.id === id);
      if (index === -1) throw new ApiError('invalid_request_error', `${param}: no model with ID ${id}`);
      return index;
    };
    const after = indexOf('after_id');
    const before = indexOf('before_id');

    let page: ServedModel[];
    let hasMore: boolean;
    if (before !== undefined) {
      const start = Math.max(0, before - limit);
      page = this.served.slice(start, before);
      hasMore = start > 0;
    } else {
      const start = after === undefined ? 0 : after + 1;
      page = this.served.slice(start, start + limit);
      hasMore = start + limit < this.served.length;
    }
    return {
      data: page.map(toModelObject),
      has_more: hasMore,
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
    };
  }
}
