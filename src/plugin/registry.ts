// The output registry (outputs/index.ts) names every output and how to import it; a daemon imports
// only the outputs its config mentions (src/config/mentioned.ts). Each output's module costs ~100 KB
// of heap at start (its zod schema and code), whether it runs or not: importing all 56 cost ~6 MiB
// of idle RSS on the default config (docs/performance-history.md, round 42).
import type { AnyOutputPlugin } from './types.ts';

export interface OutputEntry {
  /** The plugin's name (its folder). */
  name: string;
  /** The top-level YAML key its options live under when it is not `name`: `aws` for `aws.sqs`. */
  key?: string;
  load(): Promise<{ default: AnyOutputPlugin }>;
}

/** The top-level YAML key (and, upper-cased, the env var prefix) an output's options live under. */
export const entryKey = (entry: OutputEntry): string => entry.key ?? entry.name;

/** The outputs imported so far: the list only grows (a reload may mention more), in registry order. */
export class OutputRegistry {
  /** Live: the reloader and the app read it after each load. */
  readonly plugins: AnyOutputPlugin[] = [];
  readonly #loaded = new Map<string, AnyOutputPlugin>();

  readonly entries: readonly OutputEntry[];

  constructor(entries: readonly OutputEntry[]) {
    this.entries = entries;
  }

  /** Imports the named outputs (every one for 'all') not imported yet; returns the live list. */
  async load(names: ReadonlySet<string> | 'all'): Promise<readonly AnyOutputPlugin[]> {
    const wanted = this.entries.filter((e) => !this.#loaded.has(e.name) && (names === 'all' || names.has(e.name)));
    const modules = await Promise.all(wanted.map((e) => e.load()));
    wanted.forEach((entry, i) => {
      const plugin = (modules[i] as { default: AnyOutputPlugin }).default;
      if (plugin.name !== entry.name) throw new Error(`outputs/index.ts: the entry "${entry.name}" loads the plugin "${plugin.name}": the names must match`);
      this.#loaded.set(entry.name, plugin);
    });
    if (wanted.length) this.plugins.splice(0, this.plugins.length, ...this.entries.flatMap((e) => this.#loaded.get(e.name) ?? []));
    return this.plugins;
  }
}

/** Every output, imported: for the docs, the chart schema, tests and benches. */
export async function loadAllOutputs(entries: readonly OutputEntry[]): Promise<AnyOutputPlugin[]> {
  return [...(await new OutputRegistry(entries).load('all'))];
}
