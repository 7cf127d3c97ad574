// Where the chart tests find helm: $HELM, the PATH, or ~/go/bin (where helm/ci.sh installs it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function findHelm(): string | undefined {
  const candidates = [process.env.HELM, join(homedir(), 'go/bin/helm')];
  const onPath = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) candidates.unshift(onPath);
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/**
 * helm, installed by `helm/ci.sh --install-only` when it is missing (CI=true: .ci/run runs the unit
 * tests before helm/ci.sh). Throws when that did not install it.
 */
export function ensureHelm(): string {
  const found = findHelm();
  if (found) return found;
  execFileSync('bash', [join(import.meta.dirname, '../../helm/ci.sh'), '--install-only'], { stdio: 'inherit' });
  const installed = findHelm();
  if (!installed) throw new Error('helm/ci.sh --install-only did not install helm');
  return installed;
}
