import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Imports each layer may not make, so dependencies point one way (see STYLE.md):
 * schema <- models, jobs <- engine <- api <- apps/server; engine <- apps/worker;
 * schema <- client <- apps/cli, apps/web.
 */
const layers = [
  { files: ['packages/schema/**'], forbidden: ['@mlrpc/*', '@trpc/*', 'express'] },
  {
    files: ['packages/models/**'],
    forbidden: [
      '@mlrpc/jobs',
      '@mlrpc/engine',
      '@mlrpc/api',
      '@mlrpc/client',
      '@trpc/*',
      'express',
    ],
  },
  {
    files: ['packages/jobs/**'],
    forbidden: [
      '@mlrpc/models',
      '@mlrpc/engine',
      '@mlrpc/api',
      '@mlrpc/client',
      '@trpc/*',
      'express',
    ],
  },
  {
    files: ['packages/engine/**'],
    forbidden: ['@mlrpc/api', '@mlrpc/client', '@trpc/*', 'express'],
  },
  { files: ['packages/api/**'], forbidden: ['@mlrpc/client', 'express'] },
  { files: ['apps/server/src/**'], forbidden: ['@mlrpc/client', '@mlrpc/cli'] },
  {
    files: ['apps/worker/**'],
    forbidden: ['@mlrpc/api', '@mlrpc/client', '@trpc/*', 'express'],
  },
  {
    files: ['apps/cli/**', 'apps/web/**'],
    forbidden: [
      '@mlrpc/models',
      '@mlrpc/jobs',
      '@mlrpc/engine',
      '@mlrpc/api',
      '@trpc/server',
      'express',
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: path.resolve(import.meta.dirname, '../..'),
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read settings in the app env.ts only.',
        },
      ],
    },
  },
  {
    files: ['**/env.ts', '**/*.config.ts', '**/*.config.js', 'tooling/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  ...layers.map(({ files, forbidden }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbidden,
              message:
                'Dependencies point one way: schema <- models, jobs <- engine <- api <- apps.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['packages/client/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@mlrpc/models', '@mlrpc/server'],
              message: 'The client imports the router type only.',
            },
            {
              group: ['@mlrpc/api'],
              allowTypeImports: true,
              message: 'The client imports the router type only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
