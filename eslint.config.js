// Lint rules. The engine boundary (ARCHITECTURE decision 1) is enforced here: engine/ may not import Electron,
// the renderer, the main process or Svelte, nor touch DOM globals.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export const engineBoundary = {
  files: ['engine/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        { group: ['electron', 'electron/*'], message: 'engine/ runs outside Electron (worker, child process, utilityProcess): no Electron imports.' },
        { group: ['svelte', 'svelte/*'], message: 'engine/ has no UI: no Svelte imports.' },
        { group: ['**/src-main/**', '**/src-renderer/**', '../src-main/*', '../src-renderer/*'], message: 'engine/ is a library: it may not import the app.' },
      ],
    }],
    'no-restricted-globals': ['error',
      ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'HTMLCanvasElement', 'Image', 'fetch', 'XMLHttpRequest', 'WebSocket']
        .map((name) => ({ name, message: `engine/ must not use the DOM or the network (${name}).` })),
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'build/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  engineBoundary,
);
