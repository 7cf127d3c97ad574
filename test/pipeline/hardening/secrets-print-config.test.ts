// --print-config used to print a token put in a URL's query (?apikey=) or as its user name
// (http://TOKEN@host). Every URL's userinfo and secret-looking query parameters are secrets now.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_COMPILE_CACHE, nodeBin, repoDir, writeConfig } from '../../support/daemon.ts';

describe('--print-config', () => {
  it('hides URL userinfo and secret query values, and keeps the rest of the URL', () => {
    const file = writeConfig(
      [
        'webhook:',
        '  address: http://TOKEN-abc123@hooks.example:8080/in?apikey=qwerty&access_token=zz9&team=core&sig=s1g',
        'loki:',
        '  hostport: https://user:hunter2@loki.example',
        '',
      ].join('\n'),
    );
    const printed = execFileSync(nodeBin, [join(repoDir, 'src/main.ts'), '--print-config', '-c', file], { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE } });
    for (const secret of ['TOKEN-abc123', 'qwerty', 'zz9', 's1g', 'hunter2']) expect(printed).not.toContain(secret);
    expect(printed).toContain('address: http://***@hooks.example:8080/in?apikey=***&access_token=***&team=core&sig=***');
    expect(printed).toContain('hostport: https://user:***@loki.example');
  });
});
