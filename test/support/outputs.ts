// Every registered output, imported: tests check configs, docs and apps against all of them (a
// daemon imports only the ones its config mentions: src/plugin/registry.ts).
import { outputEntries } from '../../outputs/index.ts';
import { loadAllOutputs } from '../../src/plugin/registry.ts';

export const outputs = await loadAllOutputs(outputEntries);
