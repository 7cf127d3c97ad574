// Generates every document that comes from the code, so none of them can drift from it:
//   README.md                 the outputs table (the registry: outputs/index.ts)
//   docs/configuration.md     the options reference (the zod schema)
//   docs/outputs/<name>.md    each output's generated block (description, defaults, keys table);
//                             a missing page is created, the hand-written rest of a page is kept
//   docs/metrics.md           the metrics (src/telemetry/metrics.ts, read from the registry)
//   docs/errors.md            the error codes (src/errors.ts: ErrorCodes and ERROR_DOCS)
//   docs/testing.md           the integration test servers (the folders of test/infra/)
//   docs/architecture.md      the line counts of src/dispatch/'s files (their jobs are hand-written)
//   config/reference.yaml     every key with its default (the zod schema)
// `node scripts/gen-docs.ts` writes them; `--check` fails when one is stale (CI and a test run it).
// `npm run generate` runs this and scripts/gen-helm-schema.ts.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { outputEntries } from '../outputs/index.ts';
import { loadAllOutputs } from '../src/plugin/registry.ts';
import type { AnyOutputPlugin } from '../src/plugin/types.ts';
import { errorsMarkdown } from './docs/errors.ts';
import { infraMarkdown } from './docs/infra.ts';
import { refreshLineCounts } from './docs/line-counts.ts';
import { replaceBlock } from './docs/markdown.ts';
import { metricsMarkdown } from './docs/metrics.ts';
import { optionsMarkdown, referenceYaml } from './docs/options.ts';
import { outputsTable, pagePath, renderOutputPage } from './docs/output-pages.ts';
import { writeGenerated } from './generated.ts';

const outputs = await loadAllOutputs(outputEntries);

const repo = join(import.meta.dirname, '..');

function read(file: string): string | undefined {
  return existsSync(join(repo, file)) ? readFileSync(join(repo, file), 'utf8') : undefined;
}

/** A hand-written file with one generated block refreshed. */
function withBlock(file: string, name: string, body: string): [string, string] {
  const text = read(file);
  if (text === undefined) throw new Error(`${file} is missing`);
  return [file, replaceBlock(text, name, body, file)];
}

/** Every generated file as [path relative to the repository, the content it must have]. */
export function generatedFiles(plugins: readonly AnyOutputPlugin[] = outputs): [string, string][] {
  return [
    withBlock('README.md', 'outputs', outputsTable(plugins)),
    withBlock('docs/configuration.md', 'options', optionsMarkdown(plugins)),
    ...plugins.map((p): [string, string] => [pagePath(p), renderOutputPage(p, read(pagePath(p)))]),
    withBlock('docs/metrics.md', 'metrics', metricsMarkdown()),
    withBlock('docs/errors.md', 'errors', errorsMarkdown()),
    withBlock('docs/testing.md', 'infra', infraMarkdown(repo)),
    ['docs/architecture.md', refreshLineCounts(read('docs/architecture.md') ?? '', repo, 'src/dispatch')],
    ['config/reference.yaml', referenceYaml(plugins)],
  ];
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  const files = generatedFiles().map(([file, content]): [string, string] => [join(repo, file), content]);
  if (!check) for (const [file] of files) mkdirSync(dirname(file), { recursive: true });
  writeGenerated(files, check, 'npm run generate');
}
