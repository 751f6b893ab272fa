import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  {
    ignores: ['node_modules', '.tools', '.data', 'reports', 'bin', 'scripts', 'eslint.config.mjs', 'vitest.config.mts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node APIs, no network clients, no wall clock.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Node builtins are not allowed in workflow code.' })),
            { name: 'axios', message: 'Clients belong in activities.' },
            { name: 'ssh2', message: 'Clients belong in activities.' },
            { name: '@temporalio/client', message: 'Not allowed in workflow code.' },
            { name: '@temporalio/worker', message: 'Not allowed in workflow code.' },
            { name: '@temporalio/activity', message: 'Not allowed in workflow code.' },
          ],
          patterns: [
            {
              group: [
                '**/activities',
                '**/activities/*',
                '**/platform',
                '**/platform/*',
                '**/sim',
                '**/sim/*',
                '**/client',
                '**/client/*',
                '**/worker',
              ],
              allowTypeImports: true,
              message: 'Import activities and platform code as types only.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Measure time in activities; workflow Date.now() is the task time.',
        },
        { object: 'performance', property: 'now', message: 'Measure time in activities.' },
      ],
      'no-restricted-globals': ['error', 'process', 'setInterval', 'require'],
    },
  }
);
