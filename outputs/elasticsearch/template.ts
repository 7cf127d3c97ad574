// The index template of createindextemplate/datastream: installed at startup when none of that
// name exists, never overwritten. A failure to check is an error (connect fails and is retried),
// never "assume it exists".
//
// output_fields keys contain dots (k8s.pod.name), which Elasticsearch reads as object paths: then
// `container.image` (a string) and `container.image.tag` (needs an object) collide and the second
// document is rejected. With the template, keys are flattened ("." → "_", as falcosidekick does
// when it creates its template) and every output_fields.* is mapped as a keyword by a dynamic
// template, so numbers and strings under one key never conflict either (_source keeps the numbers).
import type { EsTransport } from './transport.ts';
import { bodyText, errorReason } from './bulk-response.ts';

export interface TemplateSettings {
  index: string;
  suffix: 'daily' | 'monthly' | 'annually' | 'none';
  datastream: boolean;
  numberofshards: number;
  numberofreplicas: number;
}

const keyword = { type: 'keyword', ignore_above: 8191 };

export function templateName(s: TemplateSettings): string {
  return s.datastream ? `${s.index}-datastream` : s.index;
}

function indexPatterns(s: TemplateSettings): string[] {
  return s.datastream || s.suffix === 'none' ? [s.index] : [`${s.index}-*`];
}

/** The name falcosidekick gives its template whatever the index (outputs/elasticsearch.go there). */
const FALCOSIDEKICK_TEMPLATE = 'falco';

function templateBody(s: TemplateSettings): Record<string, unknown> {
  const patterns = indexPatterns(s);
  return {
    index_patterns: patterns,
    // Above the built-in logs-*-*/metrics-*-* templates (100) in case the index name overlaps them.
    priority: 200,
    ...(s.datastream ? { data_stream: {} } : {}),
    template: {
      settings: { number_of_shards: s.numberofshards, number_of_replicas: s.numberofreplicas },
      mappings: {
        dynamic_templates: [{ output_fields: { path_match: 'output_fields.*', mapping: keyword } }],
        properties: {
          '@timestamp': { type: 'date' },
          time: { type: 'date_nanos' },
          uuid: { type: 'keyword' },
          // Alert text, with ignore_above as the output fields have: a value over Lucene's 32,766
          // bytes is otherwise an "immense term" error that refuses the whole document.
          rule: keyword,
          priority: { type: 'keyword' },
          source: keyword,
          hostname: keyword,
          tags: keyword,
          output: { type: 'text', fields: { keyword } },
          message: { type: 'text' },
          output_fields: { type: 'object' },
        },
      },
    },
    _meta: { managed_by: 'peregrine', description: 'Falco alerts written by Peregrine' },
  };
}

/**
 * Installs the template unless it exists, or falcosidekick's (always named "falco") already covers
 * this index: after a switch the indices keep the mapping their dashboards were built on, rather than
 * a second template winning from the next daily index on. Returns what it did; throws with an
 * actionable message.
 */
export async function ensureIndexTemplate(transport: EsTransport, s: TemplateSettings, signal: AbortSignal): Promise<'exists' | 'created' | 'falcosidekick'> {
  const name = templateName(s);
  const path = `/_index_template/${encodeURIComponent(name)}`;
  const check = await transport.request({ method: 'GET', path, signal });
  if (check.status === 200) return 'exists';
  if (check.status !== 404) throw templateError('check', name, check.status, check.body);
  // falcosidekick makes no data streams: its template never stands for one.
  if (!s.datastream && name !== FALCOSIDEKICK_TEMPLATE && (await falcosidekickCovers(transport, indexPatterns(s), signal))) return 'falcosidekick';
  const put = await transport.request({ method: 'PUT', path: `${path}?create=true`, body: JSON.stringify(templateBody(s)), signal });
  if (put.status >= 200 && put.status < 300) return 'created';
  // Another replica created it between our check and our put: it exists, which is all we want.
  if (put.status === 400 && /already exists/.test(bodyText(put.body))) return 'exists';
  throw templateError('create', name, put.status, put.body);
}

/** Whether falcosidekick's template exists and lists every one of `patterns`. */
async function falcosidekickCovers(transport: EsTransport, patterns: string[], signal: AbortSignal): Promise<boolean> {
  const found = await transport.request({ method: 'GET', path: `/_index_template/${FALCOSIDEKICK_TEMPLATE}`, signal });
  if (found.status === 404) return false;
  if (found.status !== 200) throw templateError('check', FALCOSIDEKICK_TEMPLATE, found.status, found.body);
  const templates = (found.body as { index_templates?: { index_template?: { index_patterns?: string[] | string } }[] } | null)?.index_templates ?? [];
  const listed = new Set(templates.flatMap((t) => [t.index_template?.index_patterns ?? []].flat()));
  return patterns.every((p) => listed.has(p));
}

function templateError(step: string, name: string, status: number, body: unknown): Error {
  const detail = (body as { error?: unknown } | null)?.error;
  const reason = detail ? errorReason(detail) : bodyText(body).slice(0, 300);
  const hint =
    status === 401 || status === 403
      ? 'check elasticsearch.username/password or elasticsearch.apikey (the user needs the manage_index_templates privilege), or set createindextemplate: false'
      : 'fix the cause or set elasticsearch.createindextemplate: false and manage the template yourself';
  return new Error(`cannot ${step} index template "${name}": HTTP ${status} ${reason}; ${hint}`);
}
