// yaml, loaded when a config file, a structured env value, --print-config or `silence add --match`
// needs it: the embedded default never does, and yaml is 72 modules (docs/performance.md#idle-rss).
// Its "node" export is CommonJS: require() gives the module an `import` elsewhere (tests) gets.
import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';

type Yaml = typeof YamlModule;
let yaml: Yaml | undefined;

export function loadYaml(): Yaml {
  return (yaml ??= createRequire(import.meta.url)('yaml') as Yaml);
}
