// Usage: node scripts/go-template-oracle/compare.ts [--record]: lists the cases where Peregrine and the recorded
// Go result differ; --record stores Peregrine's result in the cases that carry a documented difference (a note).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderCase, sameResult, type Corpus } from '../../test/unit/enrich/go-template-oracle.ts';

const file = new URL('../../test/fixtures/go-templates/cases.json', import.meta.url);
const corpus = JSON.parse(readFileSync(file, 'utf8')) as Corpus;
const record = process.argv.includes('--record');
let differences = 0;
for (const c of corpus.cases) {
  const peregrine = renderCase(corpus, c);
  if (record && c.note !== undefined) c.peregrine = { output: peregrine.output, ...(peregrine.error ? { error: peregrine.error } : {}) };
  if (sameResult(peregrine, c.go)) continue;
  differences++;
  const show = (r: { output: string; error?: string; message?: string }): string => `${JSON.stringify(r.output)} ${r.error ?? ''} ${r.message ?? ''}`;
  console.log(`${c.id} [${c.mode}/${c.alert}] ${JSON.stringify(c.template)}${c.note ? ` (documented: ${c.note})` : ''}\n   go: ${show(c.go)}\n  per: ${show(peregrine)}`);
}
console.log(`${differences} differences from Go, ${corpus.cases.filter((c) => c.note !== undefined).length} cases documented`);
if (record) writeFileSync(file, `${JSON.stringify(corpus, null, 2)}\n`);
