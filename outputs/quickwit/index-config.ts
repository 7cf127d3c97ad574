// The index falcosidekick creates with autocreateindex: a dynamic doc mapping with its field
// mappings and search fields, in its JSON key order (Quickwit reads it as the index config).
import type { QuickwitOptions } from './options.ts';

export function indexConfig(options: QuickwitOptions): string {
  const field = (name: string, type: string, fast: boolean) => ({ name, type, fast });
  return JSON.stringify({
    index_id: options.index,
    version: options.version,
    search_settings: { default_search_fields: ['rule', 'source', 'output', 'priority', 'hostname', 'tags'] },
    doc_mapping: {
      dynamic_mapping: { description: 'Falco', fast: true, expand_dots: true, indexed: true, record: 'basic', stored: true, tokenizer: 'raw' },
      field_mappings: [
        field('time', 'datetime', true),
        field('uuid', 'text', true),
        field('hostname', 'text', true),
        field('priority', 'text', true),
        field('source', 'text', true),
        field('output', 'text', false),
        field('rule', 'text', true),
        field('tags', 'array<text>', true),
        field('output_fields', 'json', true),
      ],
      mode: 'dynamic',
      store_source: true,
      timestamp_field: 'time',
    },
  });
}
