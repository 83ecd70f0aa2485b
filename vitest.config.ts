import { defineConfig } from 'vitest/config';

// Test tiers (STYLE.md rule 5): unit tests are fast and self-contained; golden tests run llama.cpp as the oracle.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 60_000 } },
      // Real SQLite files, real PDFs, the engine host: slower, still self-contained.
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], pool: 'forks', testTimeout: 120_000 } },
      // The app in a real Chromium against `quire serve` (the renderer is built first by `npm test`).
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], pool: 'forks', testTimeout: 180_000, hookTimeout: 180_000 } },
      {
        test: {
          name: 'golden',
          include: ['tests/golden/**/*.test.ts'],
          // llama.cpp is a native addon: run it in child processes, not worker threads.
          pool: 'forks',
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
