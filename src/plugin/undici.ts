// undici, loaded when the first HTTP output makes its pool rather than at startup: it is the
// largest module the daemon loads (~25 MiB of idle RSS, docs/performance.md#idle-rss), and a daemon
// whose outputs are stdout, Kafka or AWS never needs it. undici is CommonJS: require() gives the same
// module instance an `import` elsewhere (tests, the CLI) gets.
import { createRequire } from 'node:module';
import type * as UndiciModule from 'undici';

type Undici = typeof UndiciModule;
let undici: Undici | undefined;

export function loadUndici(): Undici {
  return (undici ??= createRequire(import.meta.url)('undici') as Undici);
}
