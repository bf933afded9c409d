export type Route = 'messages' | 'count_tokens' | 'models';

export interface Stats {
  /** API calls received (the control API is not counted). */
  total: number;
  /** Answered calls by HTTP status, e.g. { "200": 3, "429": 1 }. */
  byStatus: Record<string, number>;
  /** Answered /v1/messages calls by pinned model ID (or the requested name when unknown), then status. */
  byModel: Record<string, Record<string, number>>;
  /** Answered calls by route, then status. */
  byRoute: Record<string, Record<string, number>>;
  /** Calls given a hang fault (never answered). */
  hung: number;
  /** Calls received and not yet answered or abandoned. */
  inFlight: number;
  /** Most calls in flight at once since the last reset. */
  maxInFlight: number;
}

/** One call's record: `end` when answered, `abandon` when the client or server gave up first. */
export interface CallRecord {
  model?: string;
  end(status: number): void;
  hang(): void;
  abandon(): void;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export class StatsRecorder {
  private stats: Stats = StatsRecorder.empty(0);

  private static empty(inFlight: number): Stats {
    return { total: 0, byStatus: {}, byModel: {}, byRoute: {}, hung: 0, inFlight, maxInFlight: inFlight };
  }

  begin(route: Route): CallRecord {
    this.stats.total++;
    this.stats.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    let open = true;
    const close = (): boolean => {
      if (!open) return false;
      open = false;
      this.stats.inFlight--;
      return true;
    };
    const record: CallRecord = {
      end: (status) => {
        if (!close()) return;
        const key = String(status);
        bump(this.stats.byStatus, key);
        bump((this.stats.byRoute[route] ??= {}), key);
        if (record.model !== undefined) bump((this.stats.byModel[record.model] ??= {}), key);
      },
      hang: () => {
        if (open) this.stats.hung++;
      },
      abandon: () => void close(),
    };
    return record;
  }

  /** Zeroes the counts; calls still in flight stay counted as in flight. */
  reset(): void {
    this.stats = StatsRecorder.empty(this.stats.inFlight);
  }

  snapshot(): Stats {
    return structuredClone(this.stats);
  }
}
