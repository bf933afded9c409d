// Bundles one benchmark entry (bench/src/<name>.ts) into dist/bench/<name>.js, as the services
// are bundled (esbuild, CommonJS, npm packages external, workspace libs from their sources).
// One difference: `__dirname` in a workspace source file means that file's own directory,
// as it would under ts-node or vitest, so helpers that find the workspace or the Prisma
// migrations from their own location (tools/e2e's harness, @scenewise/db/testing) still work.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const name = process.argv[2];
if (!name) {
  console.error('usage: node bench/bundle.mjs <benchmark>');
  process.exit(2);
}

const ownDirname = {
  name: 'own-dirname',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const rel = relative(root, args.path);
      if (rel.startsWith('..') || rel.includes('node_modules') || rel.includes('/generated/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('__dirname')) return undefined;
      return { contents: source.replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path))), loader: 'ts' };
    });
  },
};

await build({
  entryPoints: [join(root, 'bench', 'src', `${name}.ts`)],
  outfile: join(root, 'dist', 'bench', `${name}.js`),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  tsconfig: join(root, 'tsconfig.base.json'),
  plugins: [ownDirname],
  logLevel: 'warning',
});
