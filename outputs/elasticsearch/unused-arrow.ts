// The official client requires apache-arrow as it loads, for the ES|QL helpers that turn a query's
// answer into Arrow tables (`client.helpers.esql().toArrowTable()`, `.toArrowReader()`). This output
// never calls them, and the library cost 2.4 MiB of heap and ~3 MiB of RSS in a bare process
// (docs/performance-history.md, round 26). A resolve hook gives the client an empty module in its place: those
// two helpers would throw, nothing else changes. If a new client loads Arrow another way, the hook no
// longer matches and Arrow loads as before (unused-arrow.test.ts fails to say so).
import { registerHooks } from 'node:module';

/** What the client's helpers require. */
const ARROW = 'apache-arrow/Arrow.node';
const EMPTY = 'peregrine:unused-apache-arrow';
let registered = false;

/** Before the client is loaded: its `require` of apache-arrow gets an empty module. Once per process. */
export function skipUnusedArrow(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve: (specifier, context, next) => (specifier === ARROW ? { url: EMPTY, format: 'commonjs', shortCircuit: true } : next(specifier, context)),
    load: (url, context, next) => (url === EMPTY ? { format: 'commonjs', source: 'module.exports = {};', shortCircuit: true } : next(url, context)),
  });
}
