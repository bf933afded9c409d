// One lint config for the workspace: typescript-eslint's recommended rules, and nx's
// module boundaries enforced (apps compose libs; a lib never imports an app).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Who may import whom, by project tag; `tools` are the extra parts tests may also use. */
const boundaries = (tools = []) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', ...tools] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', ...tools] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', 'tmp/**', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests may also use the tools that play real parts for them (the local Anthropic server).
    files: ['**/*.test.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:tool']) },
  },
);
