/**
 * Which stored scene each scene of a revised screenplay is. A scene that keeps its row keeps
 * its summaries (they are keyed by scene, content hash and model), but what a later partial
 * analysis pays for depends only on content hashes: a scene whose text changed is summarized
 * again whichever row it gets. Pairing decides identity instead, and past jobs show their
 * scenes' current headings, so an edited scene is paired only with a scene of its heading:
 *
 * 1. Unchanged: the same text (content hash), wherever it moved.
 * 2. Edited: the same heading (ignoring case and spacing), preferably the scene that stood in
 *    the same place, between the same unchanged neighbours; otherwise anywhere.
 * 3. The rest are new scenes, and the stored scenes left over are removed. A scene whose
 *    heading changed is one of each: the past jobs that covered it keep it as it was.
 * Repeated texts and headings pair in script order.
 */

export interface StoredScene {
  id: string;
  heading: string;
  contentHash: string;
}

export interface RevisedScene {
  heading: string;
  contentHash: string;
}

export interface ScenePair<R> {
  /** The stored scene's id. */
  id: string;
  scene: R;
}

export interface SceneMatch<R> {
  unchanged: Array<ScenePair<R>>;
  edited: Array<ScenePair<R>>;
  added: R[];
  /** Ids of the stored scenes the revision no longer has. */
  removed: string[];
}

const headingKey = (heading: string) => heading.replace(/\s+/g, ' ').trim().toUpperCase();

/** `stored` and `revised` in script order; the result lists pairs in the revision's order. */
export function matchScenes<R extends RevisedScene>(stored: readonly StoredScene[], revised: readonly R[]): SceneMatch<R> {
  /** For each revised scene, the index of its stored scene (or -1), and how it was paired. */
  const partner = revised.map(() => -1);
  const kind = revised.map((): 'unchanged' | 'edited' => 'edited');
  const taken = stored.map(() => false);
  const pair = (r: number, s: number, how: 'unchanged' | 'edited') => {
    partner[r] = s;
    kind[r] = how;
    taken[s] = true;
  };

  /** Pairs, in order, each revised scene with the first free stored scene that has the same key. */
  const pairByKey = (rs: number[], ss: number[], key: (scene: StoredScene | R) => string, how: 'unchanged' | 'edited') => {
    const free = new Map<string, number[]>();
    for (const s of ss) {
      if (taken[s]) continue;
      const k = key(stored[s]!);
      const list = free.get(k);
      if (list) list.push(s);
      else free.set(k, [s]);
    }
    for (const r of rs) {
      if (partner[r] !== -1) continue;
      const s = free.get(key(revised[r]!))?.shift();
      if (s !== undefined) pair(r, s, how);
    }
  };

  const allRevised = revised.map((_, r) => r);
  const allStored = stored.map((_, s) => s);
  pairByKey(allRevised, allStored, (scene) => scene.contentHash, 'unchanged');

  // The runs of changed scenes between unchanged ones, each with the run of stored scenes
  // that followed the same unchanged scene (or the start) before.
  const runs: Array<{ rs: number[]; ss: number[] }> = [];
  for (let r = 0; r < revised.length; r++) {
    if (partner[r] !== -1 || (r > 0 && partner[r - 1] === -1)) continue;
    const rs: number[] = [];
    for (let i = r; i < revised.length && partner[i] === -1; i++) rs.push(i);
    const ss: number[] = [];
    for (let s = r === 0 ? 0 : partner[r - 1]! + 1; s < stored.length && !taken[s]; s++) ss.push(s);
    runs.push({ rs, ss });
  }
  const byHeading = (scene: StoredScene | R) => headingKey(scene.heading);
  for (const { rs, ss } of runs) pairByKey(rs, ss, byHeading, 'edited');
  pairByKey(allRevised, allStored, byHeading, 'edited');

  const match: SceneMatch<R> = { unchanged: [], edited: [], added: [], removed: [] };
  revised.forEach((scene, r) => {
    const s = partner[r]!;
    if (s === -1) match.added.push(scene);
    else match[kind[r]!].push({ id: stored[s]!.id, scene });
  });
  match.removed = stored.filter((_, s) => !taken[s]).map((scene) => scene.id);
  return match;
}
