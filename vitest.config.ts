import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest leaves a core free by default: on a 2-core machine that is one worker, and the unit
    // tests took twice as long as they need to.
    maxWorkers: availableParallelism(),
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/e2e/**'], sequence: { groupOrder: 0 } },
      },
      {
        // End-to-end tests with system programs (Chromium, ffmpeg) run after everything else and
        // one file at a time: the browser test depends on the display's timing, and nothing else
        // should be competing with Chromium for the CPU meanwhile.
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
