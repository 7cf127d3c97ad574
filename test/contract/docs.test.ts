// Generated docs are checked, never edited: each generated file equals what its generator produces
// now (`npm run generate` refreshes them all), and the output-page generator keeps hand-written text.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/gen-docs.ts';
import { metaTemplate, valuesSchema } from '../../scripts/gen-helm-schema.ts';
import { renderOutputPage } from '../../scripts/docs/output-pages.ts';
import { outputs } from '../../test/support/outputs.ts';

const repo = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(repo, file), 'utf8');
const webhook = outputs.find((p) => p.name === 'webhook');
if (!webhook) throw new Error('the webhook output is not registered');

describe('generated files are up to date (npm run generate)', () => {
  it.each(generatedFiles().map(([file, content]) => [file, content]))('%s', (file, content) => {
    expect(read(file), `${file} is stale: run npm run generate`).toBe(content);
  });

  it('helm/peregrine/values.schema.json', async () => {
    expect(read('helm/peregrine/values.schema.json')).toBe(`${JSON.stringify(await valuesSchema(), null, 2)}\n`);
  });

  it('helm/peregrine/templates/_generated-config.tpl', () => {
    expect(read('helm/peregrine/templates/_generated-config.tpl')).toBe(metaTemplate());
  });

  it('every registered output has its page', () => {
    const files = generatedFiles().map(([file]) => file);
    for (const plugin of outputs) expect(files).toContain(`docs/outputs/${plugin.name}.md`);
  });

  it('scripts/gen-docs.ts --check (what CI runs) passes', () => {
    const run = spawnSync(process.execPath, [join(repo, 'scripts/gen-docs.ts'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('the output page generator', () => {
  const handWritten = '## What it sends\n\nA POST per alert.\n\n## Failure classification\n\n| a | b |\n|---|---|\n';

  it('inserts its block after the first heading of a page without markers and keeps the rest', () => {
    const page = renderOutputPage(webhook, `# webhook\n\n${handWritten}`);
    expect(page.startsWith('# webhook\n\n<!-- generated:keys:start (npm run generate) -->\n> POST (or PUT)')).toBe(true);
    expect(page.endsWith(`<!-- generated:keys:end -->\n\n${handWritten}`)).toBe(true);
    expect(page).toContain('| `webhook.address` | `""` | Endpoint URL. Setting it turns the output on. | `WEBHOOK_ADDRESS` |');
    expect(page).toContain('Turned on by `webhook.address`.');
  });

  it('refreshes only what is between the markers, and is stable', () => {
    const stale = `# webhook\n\nIntro.\n\n<!-- generated:keys:start (node scripts/gen-docs.ts) -->\nold table\n<!-- generated:keys:end -->\n\n${handWritten}`;
    const page = renderOutputPage(webhook, stale);
    expect(page).not.toContain('old table');
    expect(page.startsWith('# webhook\n\nIntro.\n\n<!-- generated:keys:start (npm run generate) -->\n')).toBe(true);
    expect(page.endsWith(`<!-- generated:keys:end -->\n\n${handWritten}`)).toBe(true);
    expect(renderOutputPage(webhook, page)).toBe(page);
  });

  it('creates a missing page with the block and the example as YAML', () => {
    const page = renderOutputPage(webhook, undefined);
    expect(page.startsWith('# webhook\n\n<!-- generated:keys:start (npm run generate) -->\n')).toBe(true);
    expect(page.endsWith(
      '<!-- generated:keys:end -->\n\n## Example\n\n```yaml\nwebhook:\n  address: https://siem.example.com/api/v1/events\n  customheaders:\n    Authorization: Bearer your-api-token\n```\n',
    )).toBe(true);
    expect(page).not.toMatch(/TODO/i);
  });
});
