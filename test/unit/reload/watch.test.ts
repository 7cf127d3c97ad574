// The config file watcher on a Kubernetes-style ConfigMap mount: config.yaml → ..data/config.yaml,
// ..data → ..<timestamp>/. The kubelet updates it by writing a new timestamped folder, pointing a
// temporary symlink at it, renaming that over ..data and deleting the old folder: several events,
// one reload. A swap that leaves the file's content as it was reloads nothing.
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { outputs } from '../../../test/support/outputs.ts';
import { buildApp, type App } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { watchConfigFile } from '../../../src/reload/watch.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { metricValue } from '../../support/app.ts';
import { waitFor } from '../../support/receiver.ts';

const DEBOUNCE = 1000;
let stop: (() => void) | undefined;
let app: App | undefined;
afterEach(async () => {
  stop?.();
  await app?.shutdown(100);
});

function configMapMount(): { dir: string; file: string; swap: (yaml: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-configmap-'));
  let n = 0;
  let current = '';
  const write = (yaml: string) => {
    const version = `..2026_12_02_20_00_0${n++}`;
    mkdirSync(join(dir, version));
    writeFileSync(join(dir, version, 'config.yaml'), yaml);
    return version;
  };
  current = write('spool:\n  enabled: false\nlistenport: 0\n');
  symlinkSync(current, join(dir, '..data'));
  symlinkSync(join('..data', 'config.yaml'), join(dir, 'config.yaml'));
  return {
    dir,
    file: join(dir, 'config.yaml'),
    swap(yaml) {
      const next = write(yaml);
      symlinkSync(next, join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
      rmSync(join(dir, current), { recursive: true });
      current = next;
    },
  };
}

it('reloads once for a ConfigMap symlink swap, and not at all for a swap that changes nothing', async () => {
  const mount = configMapMount();
  const load = () => loadConfig({ file: mount.file, env: {}, plugins: outputs, cwd: mount.dir });
  const running = buildApp(load().config, { plugins: outputs, logger: pino({ level: 'silent' }), defaultMetrics: false, reload: { load, file: mount.file, source: mount.file } });
  app = running;
  const clock = new FakeClock();
  stop = watchConfigFile(mount.file, { debounceMs: DEBOUNCE, clock, log: pino({ level: 'silent' }), changed: () => void running.reloader.fileChanged() });

  mount.swap('spool:\n  enabled: false\nlistenport: 0\ncustomtags: [swapped]\n');
  await waitFor(() => clock.pending() > 0, 5000, 'the watcher to see the swap');
  // The swap's steps arrive as several events; each re-arms the one debounce timer.
  expect(clock.pending()).toBe(1);
  await clock.advance(DEBOUNCE);
  await running.reloader.settle();
  expect(await metricValue(running, 'peregrine_config_reloads_total', { result: 'success' })).toBe(1);
  expect(running.reloader.config.customtags).toEqual(['swapped']);
  // Late events of the same swap find the content already running.
  await clock.advance(DEBOUNCE);
  await running.reloader.settle();
  expect(await metricValue(running, 'peregrine_config_reloads_total', { result: 'success' })).toBe(1);

  mount.swap('spool:\n  enabled: false\nlistenport: 0\ncustomtags: [swapped]\n');
  await waitFor(() => clock.pending() > 0, 5000, 'the watcher to see the second swap');
  await clock.advance(DEBOUNCE);
  await running.reloader.settle();
  expect(await metricValue(running, 'peregrine_config_reloads_total', { result: 'success' })).toBe(1);
  expect(running.reloader.status()).toMatchObject({ generation: 2, stale: false });
});
