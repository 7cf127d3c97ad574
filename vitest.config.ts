import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` (npm test) needs nothing but this repo — it includes the pipeline tests
// over real loopback sockets with in-process peers for fault injection. `integration`
// (npm run test:integration) talks to real destination servers started by test/infra/.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/pipeline/**/*.test.ts', 'outputs/**/*.test.ts'],
          // Generous: a test that spawns daemons takes seconds of CPU, and a shared machine stretches that.
          testTimeout: 60_000,
          // At least two test files at a time: on the 2-core reference machine, while one waits on a
          // daemon it spawned or on a socket, the other runs (vitest's default there would be one).
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // Test files share a worker's loaded modules instead of importing the app (fastify,
          // undici, every output) again for each file: about half the suite's CPU time. Tests
          // hold no state in modules; each builds its own app, clock, receivers and spool.
          isolate: false,
        },
      },
      {
        // helm template of the chart; run by helm/ci.sh (needs the helm binary it installs).
        test: { name: 'helm', include: ['test/helm/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 1_500_000 },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/infra/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
