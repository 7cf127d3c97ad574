// Peregrine's Go-template translation against Go's text/template itself: every case of the corpus
// was run by the real Go (scripts/go-template-oracle, as falcosidekick 2.34.1 runs templatedfields and
// messageformat), and Peregrine must print the same text and fail the same way. A case with a note
// is a documented difference (docs/falcosidekick-differences.md) and is held to Peregrine's own
// recorded result, so that a difference never changes unnoticed either.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCase, sameResult, type Corpus } from './go-template-oracle.ts';

const corpus = JSON.parse(readFileSync(new URL('../../fixtures/go-templates/cases.json', import.meta.url), 'utf8')) as Corpus;
const matching = corpus.cases.filter((c) => c.note === undefined);
const documented = corpus.cases.filter((c) => c.note !== undefined);

describe('Go templates render as Go renders them', () => {
  it('has a corpus with Go results recorded', () => {
    expect(matching.length).toBeGreaterThan(400);
    for (const c of corpus.cases) expect(c.go, c.id).toBeDefined();
  });

  it.each(matching.map((c) => [`${c.id} [${c.mode}] ${JSON.stringify(c.template)}`, c] as const))('%s', (_name, c) => {
    const peregrine = renderCase(corpus, c);
    expect(sameResult(peregrine, c.go), `Peregrine ${JSON.stringify(peregrine)}, Go ${JSON.stringify(c.go)}`).toBe(true);
  });
});

describe('documented differences stay as documented', () => {
  it.each(documented.map((c) => [`${c.id} [${c.mode}] ${JSON.stringify(c.template)}: ${c.note}`, c] as const))('%s', (_name, c) => {
    expect(c.peregrine, 'run scripts/go-template-oracle/compare.ts --record').toBeDefined();
    const peregrine = renderCase(corpus, c);
    expect({ output: peregrine.output, error: peregrine.error }).toEqual({ output: c.peregrine?.output, error: c.peregrine?.error });
  });
});
