import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Loads the client as the output does, in a process of its own (a resolve hook is process-wide). */
function loadInChild(): { arrowFiles: number; helpers: string; bulk: string } {
  const transport = new URL('./transport.ts', import.meta.url).href;
  const script = `
    import { createRequire } from 'node:module';
    import { loadEsClient } from ${JSON.stringify(transport)};
    const { Client } = await loadEsClient();
    const client = new Client({ node: 'http://127.0.0.1:9' });
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      arrowFiles: loaded.filter((file) => file.includes('node_modules/apache-arrow/')).length,
      helpers: typeof client.helpers,
      bulk: typeof client.helpers.bulk,
    }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as ReturnType<typeof loadInChild>;
}

describe('the Elasticsearch client as the output loads it', () => {
  it('does not load apache-arrow, which only its ES|QL helpers use, and keeps its other helpers', () => {
    expect(loadInChild()).toEqual({ arrowFiles: 0, helpers: 'object', bulk: 'function' });
  });
});
