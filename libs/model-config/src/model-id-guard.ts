import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The seed system hardcoded model IDs in eleven places; one retired ID broke them all.
 * This finds any Claude model ID written outside libs/model-config (tests may name models).
 */

const MODEL_ID = /['"`](claude-(?:3|instant|2|haiku|sonnet|opus)[a-z0-9.@-]*)['"`]/g;

export function isExempt(path: string): boolean {
  return (
    path.startsWith('libs/model-config/') ||
    /\.(test|spec)\.ts$/.test(path) ||
    /(^|\/)(fixtures|tests?)\//.test(path) ||
    !/\.(ts|js|mjs|cjs|json|ya?ml|sh|md)$/.test(path) ||
    path.endsWith('package-lock.json')
  );
}

export function findModelIds(source: string): string[] {
  return [...source.matchAll(MODEL_ID)].map((m) => m[1]!);
}

/** Every model ID in the repository's source outside the allowed places, as `path: id`. */
export function findStrayModelIds(root: string): string[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'apps', 'libs', 'tools', 'docker-compose.yml'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((path) => path && !isExempt(path));
  return files.flatMap((path) => {
    let text: string;
    try {
      text = readFileSync(join(root, path), 'utf8');
    } catch {
      return []; // deleted in the working tree
    }
    return findModelIds(text).map((id) => `${path}: ${id}`);
  });
}
