// Where the chart tests find helm: $HELM, the PATH, or ~/go/bin (where helm/ci.sh installs it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function findHelm(): string | undefined {
  const candidates = [process.env.HELM, join(homedir(), 'go/bin/helm')];
  const onPath = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) candidates.unshift(onPath);
  return candidates.find((c): c is string => !!c && existsSync(c));
}
