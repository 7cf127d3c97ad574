// Watches the config file's folder, not the file: an editor saves by replacing the file (a new
// inode, which a watch on the file would lose), and Kubernetes updates a mounted ConfigMap by
// swapping the folder's `..data` symlink. Any change in the folder (re)arms a debounce timer; when
// it fires, the reloader compares the file's content with what runs, so a swap that leaves the
// file as it was reloads nothing, and one swap in several steps reloads once.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../dispatch/clock.ts';

export function watchConfigFile(file: string, options: { debounceMs: number; clock: Clock; log: Logger; changed: () => void }): () => void {
  const { debounceMs, clock, log, changed } = options;
  let timer: unknown;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, () => {
      clock.clearTimeout(timer);
      timer = clock.setTimeout(changed, debounceMs);
    });
  } catch (err) {
    log.warn({ file, err: (err as Error).message }, 'cannot watch the config file: reload with SIGHUP or POST /api/v1/reload');
    return () => {};
  }
  watcher.on('error', (err) => log.warn({ file, err: err.message }, 'watching the config file stopped: reload with SIGHUP or POST /api/v1/reload'));
  log.info({ file, debounceMs }, 'watching the config file: a change is reloaded (reload.watch)');
  return () => {
    clock.clearTimeout(timer);
    watcher.close();
  };
}
