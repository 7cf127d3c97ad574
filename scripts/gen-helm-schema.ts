// Generates the Helm chart's files that come from the zod config schema (the single source of truth):
//   helm/peregrine/values.schema.json           `config:` = the daemon's schema, plus the chart's own keys
//   helm/peregrine/templates/_generated-config.tpl   which config paths are secrets (→ Secret env vars)
// `node scripts/gen-helm-schema.ts` writes them; `--check` fails when they are stale (helm/ci.sh runs it).
// Takes whatever outputs/index.ts registers: a new output needs no change here.
import { join } from 'node:path';
import { z } from 'zod';
import { outputEntries } from '../outputs/index.ts';
import { loadAllOutputs } from '../src/plugin/registry.ts';
import { minimumPriority } from '../src/config/common.ts';
import { inspect, leafKind, leafPaths } from '../src/config/introspect.ts';
import { FALCOSIDEKICK_OUTPUT_PATHS, FALCOSIDEKICK_OUTPUTS, FALCOSIDEKICK_SECTIONS } from '../src/config/falcosidekick-outputs.ts';
import { SECRET_KEY_GO_PATTERN } from '../src/config/secrets.ts';
import { writeGenerated } from './generated.ts';
import { buildConfigSchema, INSTANCE_NAME, instanceSchema, sectionPath } from '../src/config/schema.ts';
import type { AnyOutputPlugin } from '../src/plugin/types.ts';
import { PRIORITIES, PRIORITY_NAMES, PRIORITY_PATTERN } from '../src/alert/priority.ts';

const outputs = await loadAllOutputs(outputEntries);

const repo = join(import.meta.dirname, '..');
const chart = join(repo, 'helm/peregrine');

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

// Keys whose values are secrets even when the schema does not say so (free-form maps such as
// customheaders, and sections of falcosidekick outputs Peregrine does not have). Same spirit as the
// redaction in src/config/redact.ts.
export const SECRET_KEY_PATTERN = SECRET_KEY_GO_PATTERN;

/** falcosidekick sections: src/config/keys.ts accepts those the schema does not have (warning when falcosidekick would enable them). */
function falcosidekickOnly(): string[] {
  return [...FALCOSIDEKICK_SECTIONS].sort();
}

/** falcosidekick output sections nested in a section Peregrine has (`aws.lambda`, `otlp.traces`), dotted. */
function falcosidekickNested(schema: z.ZodObject): string[] {
  const paths = leafPaths(schema).map((l) => l.path.join('.'));
  const has = (dotted: string) => paths.some((p) => p === dotted || p.startsWith(`${dotted}.`));
  return [...FALCOSIDEKICK_OUTPUT_PATHS].filter((p) => p.includes('.') && has(p.split('.')[0] as string) && !has(p)).sort();
}

// Keys of falcosidekick's chart inside sections Peregrine has, for which the daemon has no key of that
// name. `rename`: the key the daemon reads instead; `chart`: read by the chart only; `ignored`: a
// falcosidekick feature Peregrine lacks (NOTES say so when it is set). The chart never passes them on.
// `when`: the keys that must be set for the NOTE (default: the key itself).
const FALCOSIDEKICK_SECTION_KEYS: Record<string, { schema: Json; rename?: string; chart?: true; ignored?: string; when?: string[] }> = {
  'alertmanager.expireafter': {
    rename: 'expiresafter',
    schema: { type: ['integer', 'string', 'null'], description: 'falcosidekick chart spelling of alertmanager.expiresafter (its ALERTMANAGER_EXPIRESAFTER); expiresafter wins when both are set.' },
  },
  'aws.useirsa': {
    chart: true,
    schema: {
      type: ['boolean', 'string', 'null'],
      description: 'falcosidekick chart key: with aws.rolearn, IRSA: the ServiceAccount gets eks.amazonaws.com/role-arn and the daemon is not given rolearn/externalid (the pod\'s web identity is that role), as in falcosidekick\'s chart.',
    },
  },
  'gcp.workloadIdentityServiceAccount': {
    chart: true,
    schema: {
      type: ['string', 'null'],
      description: 'falcosidekick chart key: the GCP service account of GKE Workload Identity; the ServiceAccount gets iam.gke.io/gcp-service-account, and the GCP outputs use it through Application Default Credentials (gcp.credentials empty).',
    },
  },
  'loki.grafanaDashboard': {
    ignored: 'the chart ships no Loki dashboard (metrics.grafanaDashboard is Peregrine\'s own)',
    when: ['loki.grafanadashboard.enabled', 'loki.hostport'],
    schema: { type: ['object', 'null'], description: 'falcosidekick chart\'s Loki dashboard ConfigMap: accepted and ignored (NOTES say so when enabled with loki.hostport).' },
  },
  'otlp.traces.timeout': {
    rename: 'timeoutms',
    schema: { type: ['integer', 'string', 'null'], description: 'falcosidekick\'s otlp.traces.timeout (ms): the daemon\'s otlp.traces.timeoutms; timeoutms wins when both are set.' },
  },
  'otlp.traces.synced': {
    ignored: 'Peregrine answers Falco before delivery and sends from its queue',
    when: ['otlp.traces.synced', 'otlp.traces.endpoint'],
    schema: { type: ['boolean', 'string', 'null'], description: 'falcosidekick\'s synchronous span export: accepted and ignored (NOTES say so when set with otlp.traces.endpoint).' },
  },
  'otlp.traces.extraenvvars': {
    ignored: 'no OTEL_* variable is read: set otlp.traces.headers, otlp.traces.cacertfile, otlp.traces.timeoutms',
    when: ['otlp.traces.extraenvvars', 'otlp.traces.endpoint'],
    schema: { type: ['object', 'null'], description: 'falcosidekick\'s OpenTelemetry SDK variables: accepted and ignored (NOTES say so when set with otlp.traces.endpoint).' },
  },
  'otlp.metrics.timeout': {
    rename: 'timeoutms',
    schema: { type: ['integer', 'string', 'null'], description: 'falcosidekick\'s otlp.metrics.timeout (ms): the daemon\'s otlp.metrics.timeoutms; timeoutms wins when both are set.' },
  },
  'otlp.metrics.extraenvvars': {
    ignored: 'no OTEL_* variable is read: set otlp.metrics.headers, otlp.metrics.cacertfile, otlp.metrics.timeoutms',
    when: ['otlp.metrics.extraenvvars', 'otlp.metrics.endpoint'],
    // falcosidekick's chart writes it as a list ([]), its config reads a map.
    schema: { type: ['object', 'array', 'null'], description: 'falcosidekick\'s OpenTelemetry SDK variables: accepted and ignored (NOTES say so when set with otlp.metrics.endpoint).' },
  },
  ...Object.fromEntries(
    (['subscriptionID', 'resourceGroupName', 'podIdentityClientID', 'podIdentityName'] as const).map((key) => [
      `azure.${key}`,
      {
        ignored: 'AAD Pod Identity (retired by Microsoft) is not set up by this chart: use config.azure.workloadIdentityClientID (Azure Workload Identity) or azure.eventhub.connectionstring',
        schema: { type: ['string', 'null'], description: `falcosidekick chart key for AAD Pod Identity (${key}): accepted and ignored (NOTES say so when set).` },
      },
    ]),
  ),
  'azure.workloadIdentityClientID': {
    chart: true,
    schema: {
      type: ['string', 'null'],
      description:
        'falcosidekick chart key: Azure Workload Identity. The ServiceAccount gets azure.workload.identity/client-id (as in falcosidekick\'s chart) and the pods the label azure.workload.identity/use: "true" the AKS webhook requires; azure.eventhub then authenticates with DefaultAzureCredential.',
    },
  },
  'smtp.token': { ignored: 'OAUTHBEARER is not supported (smtp.authmechanism: plain, login, cram-md5 or none)', schema: { type: ['string', 'null'], description: 'falcosidekick\'s OAUTHBEARER token: accepted and ignored (not supported).' } },
  'smtp.identity': { ignored: 'no authorization identity is sent with PLAIN', schema: { type: ['string', 'null'], description: 'falcosidekick\'s PLAIN authorization identity: accepted and ignored.' } },
  'smtp.trace': { ignored: 'ANONYMOUS is not supported', schema: { type: ['string', 'null'], description: 'falcosidekick\'s ANONYMOUS trace string: accepted and ignored (not supported).' } },
};

// falcosidekick keys with a default of their own, which falcosidekick's chart writes as "" to mean that
// default (viper ignores an empty env var). Every other key where "" is a value of its own is
// Peregrine's, and the chart keeps its "" (peregrine.configMeta keepempty).
const FALCOSIDEKICK_DEFAULTED = [
  'mutualtlsfilespath', 'tlsserver.certfile', 'tlsserver.keyfile', 'tlsserver.cacertfile', 'aws.s3.prefix', 'aws.s3.objectcannedacl', 'elasticsearch.type',
  'kafka.clientid', 'slack.username', 'slack.icon', 'slack.footer', 'teams.activityimage', 'alertmanager.dropeventthresholds', 'smtp.authmechanism',
  'mattermost.username', 'mattermost.icon', 'mattermost.footer', 'rocketchat.username', 'rocketchat.icon', 'rocketchat.footer', 'discord.icon', 'cliq.icon',
  'yandex.region', 'yandex.s3.prefix', 'yandex.s3.endpoint', 'yandex.datastreams.endpoint',
];

/** Leaves where "" parses to something other than the default (and is valid), as dotted paths. */
function emptyIsAValue(schema: z.ZodType): string[] {
  return leafPaths(schema)
    .filter((l) => l.path[0] !== 'outputs')
    .filter((l) => {
      const empty = l.schema.safeParse('');
      const unset = l.schema.safeParse(undefined);
      return empty.success && JSON.stringify(empty.data) !== JSON.stringify(unset.success ? unset.data : undefined);
    })
    .map((l) => l.path.join('.'));
}

/** Does this JSON Schema node take ""? (Approximate: what zod emits: type, enum, const, pattern, minLength, anyOf.) */
function takesEmpty(node: Json): boolean {
  if (Array.isArray(node.anyOf)) return (node.anyOf as Json[]).some(takesEmpty);
  if (node.const !== undefined) return node.const === '';
  if (Array.isArray(node.enum)) return node.enum.includes('');
  const types = node.type === undefined ? ['string'] : ([] as unknown[]).concat(node.type);
  if (!types.includes('string')) return false;
  if (typeof node.minLength === 'number' && node.minLength > 0) return false;
  if (typeof node.pattern === 'string' && !new RegExp(node.pattern).test('')) return false;
  return true;
}

/**
 * In chart values "" means unset, as in falcosidekick's chart (the chart leaves the key out of the
 * config file): every leaf of `config` takes "", whatever its type.
 */
function allowEmpty(node: unknown): void {
  if (!isObject(node)) return;
  const properties = node.properties;
  if (isObject(properties)) {
    for (const [key, child] of Object.entries(properties)) {
      if (!isObject(child)) continue;
      if (isObject(child.properties) || key === 'outputs') allowEmpty(child);
      else if (!takesEmpty(child)) properties[key] = emptyOr(child);
    }
  }
  if (isObject(node.additionalProperties)) allowEmpty(node.additionalProperties);
  for (const list of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(node[list])) (node[list] as unknown[]).forEach(allowEmpty);
}

function emptyOr(node: Json): Json {
  const { description, default: dflt, secret, ...shape } = node;
  return { ...(description ? { description } : {}), ...(dflt !== undefined ? { default: dflt } : {}), ...(secret ? { secret } : {}), anyOf: [{ const: '' }, shape] };
}

/** "outputFieldFormat" → "[oO][uU]…": JSON Schema regexes have no flags, and keys match in any case. */
function anyCase(key: string): string {
  return [...key]
    .map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
}

// Helm validates with an RE2-based engine: a zod regex with look-around or back-references would
// make the whole schema fail to compile, so such patterns are left to the daemon.
const re2Safe = (pattern: string) => !/\(\?[=!<]|\\[1-9]|\\k</.test(pattern);

/** Post-processing of zod's JSON Schema so Helm rejects what the daemon rejects, and nothing it accepts. */
function harden(node: unknown, top: boolean, extraTopKeys: string[]): void {
  if (Array.isArray(node)) return node.forEach((n) => harden(n, false, extraTopKeys));
  if (!isObject(node)) return;
  // Keys that also take falcosidekick's string form ("k:v,k:v", "a,b"; src/config/forms.ts).
  if (node.stringform === true) {
    delete node.stringform;
    const { description, default: dflt, secret, ...shape } = node;
    for (const key of Object.keys(node)) delete node[key];
    Object.assign(node, { description, ...(dflt !== undefined ? { default: dflt } : {}), ...(secret ? { secret } : {}), anyOf: [{ type: 'string' }, shape] });
  }
  // `format` (uri, email…) is asserted differently by Helm's validator than by zod: the daemon decides.
  // (Only the keyword: in `properties`, `format` is a key such as loki.format.)
  if (typeof node.format === 'string') delete node.format;
  if (typeof node.pattern === 'string' && !re2Safe(node.pattern)) delete node.pattern;
  for (const [key, value] of Object.entries(node)) if (key !== 'default' && key !== 'examples') harden(value, false, extraTopKeys);
  const properties = node.properties;
  if (node.type === 'object' && isObject(properties) && node.additionalProperties === undefined) {
    // Objects with declared keys are closed (a typo is an error, as in the daemon), but keys match in
    // any case like falcosidekick's viper: mixed-case spellings are let through by name and the
    // daemon checks their values at start.
    const names = [...Object.keys(properties), ...(top ? extraTopKeys : [])];
    node.patternProperties = { [`^(?:${names.map(anyCase).join('|')})$`]: {} };
    node.additionalProperties = false;
  }
}

export async function configJsonSchema(plugins: readonly AnyOutputPlugin[] = outputs): Promise<Json> {
  const schema = buildConfigSchema(plugins);
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
    override(ctx) {
      // A key with a parser of its own for text (OTLP's "k=v,k=v" headers, loki's "a,b" label
      // lists) takes a string as well as its structured form.
      if (inspect(ctx.zodSchema as unknown as z.ZodType).parsesText && ctx.jsonSchema.type !== 'string') ctx.jsonSchema.stringform = true;
      // minimumpriority is a refine() in zod (case-insensitive, `Info` alias): give Helm the same rule.
      if (ctx.zodSchema === minimumPriority) {
        // The enum is what Helm's error message shows ("value must be one of …"); the pattern keeps
        // every casing the daemon accepts (it matches case-insensitively).
        delete ctx.jsonSchema.type;
        ctx.jsonSchema.anyOf = [
          { type: 'string', enum: ['', ...PRIORITIES.map((p) => p.toLowerCase()), 'info'] },
          { type: 'string', pattern: PRIORITY_PATTERN },
        ];
        ctx.jsonSchema.description = `${ctx.jsonSchema.description ?? ''} One of ${PRIORITY_NAMES} (any case), or "".`.trim();
      }
    },
  }) as Json;
  delete json.$schema;
  for (const dotted of [...falcosidekickOnly(), ...falcosidekickNested(schema)]) {
    // `aws.lambda` goes inside the `aws` section Peregrine has; skipped when that section is absent.
    const path = dotted.split('.');
    const name = path.pop() as string;
    let properties = json.properties as Json | undefined;
    for (const key of path) properties = isObject(properties?.[key]) ? ((properties[key] as Json).properties as Json | undefined) : undefined;
    if (!properties || properties[name]) continue;
    properties[name] = {
      description: `falcosidekick output that Peregrine does not have: accepted so a pasted falcosidekick config installs; the daemon ignores it and warns at start when it is set.`,
      type: ['object', 'null'],
    };
  }
  // The falcosidekick chart's own keys inside `config:` (the chart reads them; they never reach the daemon).
  const properties = json.properties as Json;
  for (const [dotted, { schema: keySchema }] of Object.entries(FALCOSIDEKICK_SECTION_KEYS)) {
    const path = dotted.split('.');
    const key = path.pop() as string;
    let section = properties;
    for (const name of path) section = (section[name] as Json).properties as Json; // otlp.traces.timeout: inside otlp.traces
    section[key] = keySchema;
  }
  // An output's aliases (rabbitmq's `queue: <name>`, src/config/aliases.ts): the key also takes text,
  // in the output's section and in a named instance of its type.
  const instances = ((properties.outputs as Json).additionalProperties as Json).oneOf as Json[];
  for (const plugin of plugins) {
    const instance = instances.find((entry) => JSON.stringify((entry.properties as Json).type).includes(JSON.stringify(plugin.name)));
    for (const [alias, to] of Object.entries(plugin.aliases ?? {})) {
      if (!instance) throw new Error(`no named-instance schema of type ${plugin.name} in outputs`);
      let section = properties;
      for (const key of sectionPath(plugin)) section = (section[key] as Json).properties as Json;
      for (const where of [section, instance.properties as Json]) {
        // The core's own setting of that name (rabbitmq's `queue` bounds), if any, stays beside the alias.
        const own = where[alias] as Json | undefined;
        const target: Json = (where[to] as Json | undefined) ?? { type: ['string', 'null'] };
        const core = own !== undefined && JSON.stringify(own.type ?? '').includes('object');
        const description = `falcosidekick's ${[...sectionPath(plugin), alias].join('.')}: read as ${to}${core ? '; a mapping is the core setting' : ''}.`;
        const read: Json = { ...target, description };
        delete read.default; // a default inside anyOf would read as the alias's own
        where[alias] = own === undefined ? read : { anyOf: [read, own], description };
      }
    }
  }
  Object.assign(properties, FALCOSIDEKICK_CHART_CONFIG_KEYS);
  const tlsserver = properties.tlsserver as Json;
  Object.assign(tlsserver.properties as Json, FALCOSIDEKICK_CHART_TLS_KEYS);
  // Instance names: the daemon's rule (config/schema.ts), RE2-safe as written.
  (properties.outputs as Json).propertyNames = { type: 'string', pattern: INSTANCE_NAME.source, maxLength: 63 };
  harden(json, true, []);
  allowEmpty(json);
  json.description =
    'The daemon\'s configuration file (falcosidekick\'s `config:` keys). Secrets in it (password, token, apikey, secret-looking headers) are moved by the chart into a Secret and passed as SECTION_KEY environment variables.';
  return json;
}

// falcosidekick chart keys under `config:` that are chart settings, not daemon settings; the chart
// takes them out of the ConfigMap (templates/_helpers.tpl, peregrine.walkConfig).
const FALCOSIDEKICK_CHART_CONFIG_KEYS: Json = {
  existingSecret: { type: 'string', description: 'falcosidekick chart spelling of the top-level existingSecret (a Secret of SECTION_KEY env vars).' },
  extraEnv: { type: 'array', description: 'falcosidekick chart spelling of the top-level extraEnv (Kubernetes EnvVar list).' },
  extraArgs: { type: 'array', items: { type: 'string' }, description: 'Extra command-line arguments for the daemon, after "-c /etc/peregrine/config.yaml".' },
};
const FALCOSIDEKICK_CHART_TLS_KEYS: Json = {
  existingSecret: { type: 'string', description: 'Secret with server.crt, server.key and ca.crt, mounted at /etc/certs/server (the default certfile/keyfile/cacertfile paths).' },
  servercrt: { type: 'string', description: 'Server certificate (PEM): the chart puts it in a Secret mounted at /etc/certs/server.' },
  serverkey: { type: 'string', description: 'Server key (PEM): the chart puts it in a Secret mounted at /etc/certs/server.' },
  cacrt: { type: 'string', description: 'CA for client certificates (PEM): the chart puts it in a Secret mounted at /etc/certs/server.' },
};

type Meta = { secrets: string[]; maps: string[]; textmaps: string[]; keepempty: string[] };

function metaOf(schema: z.ZodType, keepEmpty: (path: string) => boolean): Meta {
  const leaves = leafPaths(schema).filter((l) => l.path[0] !== 'outputs');
  return {
    secrets: leaves.filter((l) => inspect(l.schema).secret).map((l) => l.path.join('.')),
    maps: leaves.filter((l) => l.kind === 'map').map((l) => l.path.join('.')),
    // Maps whose text form the key parses itself: OTLP headers, "k=v,k=v" (OTEL_EXPORTER_OTLP_HEADERS).
    textmaps: leaves.filter((l) => inspect(l.schema).parsesText && leafKind(l.schema) === 'map').map((l) => l.path.join('.')),
    keepempty: emptyIsAValue(schema).filter(keepEmpty),
  };
}

/**
 * Paths the daemon treats as secrets, and free-form maps (passed whole as one env var when they hold
 * a secret); `foreign`: falcosidekick sections the daemon lacks (`cliq`, `aws.lambda`);
 * `foreignoutputs`: the keys that turn each of them on in falcosidekick (for the NOTES warning);
 * `falcosidekickkeys`: FALCOSIDEKICK_SECTION_KEYS; `keepempty`: keys where "" is a value of its own
 * (everywhere else the chart reads "" as unset); `instances`: the same per output type, relative to
 * a named instance (outputs.<name>.…).
 */
export function configMeta(plugins: readonly AnyOutputPlugin[] = outputs) {
  const schema = buildConfigSchema(plugins);
  const stale = FALCOSIDEKICK_DEFAULTED.filter((p) => !emptyIsAValue(schema).includes(p));
  if (stale.length) throw new Error(`FALCOSIDEKICK_DEFAULTED lists keys where "" is no longer a value of its own: ${stale.join(', ')}`);
  const peregrines = (path: string) => !FALCOSIDEKICK_DEFAULTED.includes(path);
  const foreign = [...falcosidekickOnly().filter((name) => !(name in schema.shape)), ...falcosidekickNested(schema)];
  return {
    ...metaOf(schema, peregrines),
    // falcosidekick sections the daemon does not have: they may hold any credential (a Slack webhook
    // URL is one), so the chart moves them whole into the Secret; the daemon warns about them.
    foreign,
    foreignoutputs: FALCOSIDEKICK_OUTPUTS.filter((o) => foreign.includes(o.name) || foreign.includes(o.name.split('.')[0] as string)),
    falcosidekickkeys: Object.fromEntries(Object.entries(FALCOSIDEKICK_SECTION_KEYS).map(([k, { schema: _, ...v }]) => [k.toLowerCase(), { name: k, ...v }])),
    secretKeyPattern: SECRET_KEY_PATTERN,
    instances: Object.fromEntries(
      // Named instances are Peregrine's own: "" keeps its meaning there (slack icon: "" = none).
      plugins.map((p) => [p.name, metaOf(instanceSchema(p), () => true)]),
    ),
  };
}

// The chart's own keys. Kubernetes-typed values (resources, affinity, …) stay open: the API server
// and kubeconform validate those.
const open = (description: string, type: string | string[] = 'object'): Json => ({ type, description });
const bool = (description: string): Json => ({ type: 'boolean', description });
const str = (description: string): Json => ({ type: 'string', description });
const int = (description: string, minimum = 0): Json => ({ type: 'integer', minimum, description });
const closed = (description: string, properties: Json): Json => ({ type: 'object', description, additionalProperties: false, properties });

function chartProperties(config: Json): Json {
  return {
    global: open('Values shared with a parent chart.'),
    nameOverride: str('Replaces the chart name in resource names.'),
    fullnameOverride: str('Full resource name; default <release>-peregrine, or <release> when the release name contains "peregrine".'),
    image: closed('Container image.', {
      registry: str('Registry prepended to repository (falcosidekick chart key), e.g. docker.io; "" = none.'),
      repository: str('Image repository.'),
      tag: str('Image tag; default the chart appVersion.'),
      digest: str('Image digest (sha256:…); wins over tag.'),
      pullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'], description: 'Image pull policy.' },
    }),
    imagePullSecrets: {
      type: 'array',
      items: { anyOf: [{ type: 'string' }, { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }] },
      description: 'Pull secrets: names ([regcred]) or Kubernetes references ([{name: regcred}]).',
    },
    customLabels: open('Labels on every resource (falcosidekick chart key; commonLabels is the same).'),
    customAnnotations: open('Annotations on every resource (falcosidekick chart key).'),
    falcosidekickService: closed('An extra Service named <falcoRelease>-falcosidekick: the address the Falco chart\'s falcosidekick.enabled wiring posts to, so Falco needs no URL change.', {
      enabled: bool('Create the alias Service.'),
      falcoRelease: str('Release name of the Falco chart (the Service is <falcoRelease>-falcosidekick); default "falco".'),
    }),
    serviceMonitor: closed('falcosidekick chart spelling of metrics.serviceMonitor.', {
      enabled: bool('Create a ServiceMonitor (same as metrics.serviceMonitor.enabled).'),
      additionalLabels: open('Extra labels (metrics.serviceMonitor.labels).'),
      interval: str('Scrape interval; "" = metrics.serviceMonitor.interval.'),
      scrapeTimeout: str('Scrape timeout; "" = metrics.serviceMonitor.scrapeTimeout.'),
      additionalProperties: open('Extra endpoint fields (e.g. honorLabels).'),
    }),
    prometheusRules: closed('falcosidekick chart alerts on the Falco event rate (FalcoWarningEventsRateHigh, …), rendered in the PrometheusRule beside Peregrine\'s own.', {
      enabled: bool('Add falcosidekick\'s rules (also creates the PrometheusRule when metrics.prometheusRule.enabled is false).'),
      namespace: str('Namespace of the PrometheusRule; "" = the release namespace.'),
      additionalLabels: open('Extra labels of the PrometheusRule.'),
      alerts: open('Per priority (warning, error, critical, alert, emergency) and output: {enabled, rate_interval, threshold}.'),
      additionalAlerts: open('Extra rules appended to the group (a list, or YAML text as in the falcosidekick chart).', ['object', 'array', 'string']),
    }),
    grafana: closed('falcosidekick chart key: grafana.dashboards.enabled ships Peregrine\'s dashboard (same as metrics.grafanaDashboard.enabled).', {
      dashboards: open('{enabled, configMaps: {falcosidekick: {name, namespace, folder, folderAnnotation}}}.'),
    }),
    webui: open('falcosidekick-ui settings: accepted and ignored, the UI is built into Peregrine (NOTES say so when enabled).'),
    podSecurityPolicy: open('falcosidekick chart key, accepted and ignored (PodSecurityPolicy was removed in Kubernetes 1.25).'),
    httproute: open('falcosidekick chart Gateway API route: accepted and ignored (use ingress); NOTES say so when enabled.'),
    testConnection: closed('falcosidekick chart key: scheduling of the `helm test` Pod.', {
      nodeSelector: open('Node selector of the test Pod.'),
      tolerations: open('Tolerations of the test Pod.', 'array'),
      affinity: open('Affinity of the test Pod.'),
    }),
    replicaCount: int('Replicas (ignored when autoscaling.enabled). Falco drops alerts it cannot deliver: keep ≥ 2.', 0),
    config,
    existingSecret: str(
      'Name of an existing Secret whose keys are SECTION_KEY env vars (ELASTICSEARCH_PASSWORD, SPLUNK_TOKEN, OUTPUTS__TEAM_A_SPLUNK__TOKEN for a named output, …); loaded after the generated one, so it wins.',
    ),
    extraEnv: open('Extra container env entries (Kubernetes EnvVar list).', 'array'),
    extraEnvFrom: open('Extra envFrom entries (Kubernetes EnvFromSource list).', 'array'),
    extraVolumes: open('Extra pod volumes (e.g. client certificates for mutualtls).', 'array'),
    extraVolumeMounts: open('Extra container volume mounts.', 'array'),
    spool: closed('Durable spool (SPOOL_ENABLED / SPOOL_DIR).', {
      enabled: bool('Keep queues in the durable spool at /var/lib/peregrine (an emptyDir unless persistence.enabled).'),
      sizeLimit: str('emptyDir size limit for the spool.'),
    }),
    persistence: closed('Run as a StatefulSet with one PersistentVolumeClaim per pod, so the spool survives pod restarts and rescheduling.', {
      enabled: bool('Use a StatefulSet with a volumeClaimTemplate instead of a Deployment with an emptyDir.'),
      storageClassName: str('Storage class; "" = the cluster default.'),
      accessModes: { type: 'array', items: { type: 'string' }, description: 'PVC access modes.' },
      size: str('PVC size.'),
      annotations: open('PVC annotations.'),
      retentionPolicy: open('StatefulSet persistentVolumeClaimRetentionPolicy (whenDeleted / whenScaled).'),
    }),
    serviceAccount: closed('ServiceAccount (IRSA / workload identity annotations for AWS Security Hub go here).', {
      create: bool('Create a ServiceAccount.'),
      name: str('Name; default the full name when created, else "default".'),
      annotations: open('Annotations, e.g. eks.amazonaws.com/role-arn.'),
      automountServiceAccountToken: bool('Mount the Kubernetes API token. Peregrine never calls the API; IRSA / workload identity inject their own projected token.'),
    }),
    podAnnotations: open('Pod annotations.'),
    podLabels: open('Pod labels.'),
    commonLabels: open('Labels on every resource.'),
    podSecurityContext: open('Pod securityContext.'),
    securityContext: open('Container securityContext.'),
    priorityClassName: str('Pod priority class.'),
    terminationGracePeriodSeconds: int('Must exceed config.shutdown.drainms (default 20 s) so queues drain on SIGTERM.', 1),
    service: closed('The Service Falco posts to: http://<fullname>.<namespace>:2801/.', {
      type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'], description: 'Service type.' },
      port: int('Service port.', 1),
      annotations: open('Service annotations.'),
      trafficDistribution: str('spec.trafficDistribution (e.g. PreferClose); "" = unset.'),
    }),
    ingress: closed('Optional Ingress (e.g. for Falco outside the cluster).', {
      enabled: bool('Create an Ingress.'),
      className: str('ingressClassName.'),
      ingressClassName: str('falcosidekick chart spelling of className.'),
      annotations: open('Ingress annotations.'),
      hosts: open('Hosts: [{host, paths: [{path, pathType}]}].', 'array'),
      tls: open('TLS entries.', 'array'),
    }),
    consoleIngress: closed('Ingress for the web console (/ui, /api/v1/ only): needs config.console.enabled; to the console\'s own Service port when config.console.port is set.', {
      enabled: bool('Create the console Ingress.'),
      className: str('ingressClassName.'),
      annotations: open('Ingress annotations (e.g. the authenticating proxy: nginx.ingress.kubernetes.io/auth-url).'),
      host: str('Host name of the console.'),
      tls: open('TLS entries.', 'array'),
    }),
    resources: open('Container resources.'),
    livenessProbe: open('Liveness probe (GET /ping).'),
    readinessProbe: open('Readiness probe (GET /healthz: 503 only when ingest cannot accept).'),
    startupProbe: open('Startup probe; {} = none.'),
    autoscaling: closed('HorizontalPodAutoscaler (Deployment mode and StatefulSet mode).', {
      enabled: bool('Create an HPA.'),
      minReplicas: int('Minimum replicas.', 1),
      maxReplicas: int('Maximum replicas.', 1),
      targetCPUUtilizationPercentage: int('CPU target; 0 = not used.'),
      targetMemoryUtilizationPercentage: int('Memory target; 0 = not used.'),
      behavior: open('HPA behavior.'),
    }),
    podDisruptionBudget: closed('PodDisruptionBudget.', {
      enabled: bool('Create a PDB.'),
      minAvailable: { type: ['integer', 'string', 'null'], description: 'minAvailable (wins over maxUnavailable).' },
      maxUnavailable: { type: ['integer', 'string', 'null'], description: 'maxUnavailable.' },
    }),
    topologySpreadConstraints: open('Pod topologySpreadConstraints; [] = the chart default (spread over nodes and zones, soft).', 'array'),
    nodeSelector: open('Node selector.'),
    tolerations: open('Tolerations.', 'array'),
    affinity: open('Affinity.'),
    updateStrategy: open('Deployment strategy / StatefulSet updateStrategy.'),
    networkPolicy: closed('NetworkPolicy for the pods.', {
      enabled: bool('Create a NetworkPolicy.'),
      ingressFrom: open('Peers allowed to reach port 2801 (Falco pods); [] = any pod in any namespace.', 'array'),
      metricsFrom: open('Peers allowed to scrape (Prometheus); [] = the same as ingressFrom.', 'array'),
      consoleFrom: open("Peers allowed to reach the console's own port (config.console.port), e.g. the ingress controller; [] = any pod in any namespace. Without console.port the console is on port 2801 (ingressFrom).", 'array'),
      egress: open('Egress rules; [] = allow all egress (destinations are outside the cluster).', 'array'),
    }),
    metrics: closed('Prometheus Operator resources.', {
      serviceMonitor: closed('ServiceMonitor (monitoring.coreos.com/v1).', {
        enabled: bool('Create a ServiceMonitor.'),
        interval: str('Scrape interval.'),
        scrapeTimeout: str('Scrape timeout.'),
        labels: open('Extra labels (so the Prometheus selector finds it).'),
        relabelings: open('relabelings.', 'array'),
        metricRelabelings: open('metricRelabelings.', 'array'),
      }),
      grafanaDashboard: closed('Grafana dashboard of Peregrine\'s own metrics, as a ConfigMap for the Grafana sidecar.', {
        enabled: bool('Create the dashboard ConfigMap (label grafana_dashboard: "1").'),
        namespace: str('Namespace of the ConfigMap; "" = the release namespace (the sidecar may watch another).'),
        folder: str('Grafana folder (annotation grafana_folder); "" = the sidecar default.'),
        labels: open('Extra labels (a sidecar with another label selector).'),
      }),
      prometheusRule: closed('PrometheusRule (monitoring.coreos.com/v1) with Peregrine alerts.', {
        enabled: bool('Create a PrometheusRule.'),
        labels: open('Extra labels.'),
        severity: str('severity label of the warning alerts.'),
        criticalSeverity: str('severity label of the critical alerts.'),
        retryingFor: str('How long an output must keep retrying before OutputFailing fires.'),
        oldestAgeSeconds: int('PeregrineAlertsDelayed fires when the oldest queued alert is older than this.'),
        queueFullRatio: { type: 'number', minimum: 0, maximum: 1, description: 'Fraction of queue.maxalerts that counts as "near full".' },
        queueMaxAlerts: int('queue.maxalerts used in the queue-near-full rule (default: the daemon default 100000).', 1),
        additionalRules: open('Extra rules appended to the group.', 'array'),
      }),
    }),
    tests: closed('The `helm test` hook.', {
      enabled: bool('Create the test Pod: GET /healthz through the Service, no alert sent anywhere.'),
      image: open('Image for the test Pod: {repository, tag}; default the Peregrine image (it has node).'),
    }),
  };
}

export async function valuesSchema(plugins: readonly AnyOutputPlugin[] = outputs): Promise<Json> {
  const properties = chartProperties(await configJsonSchema(plugins));
  const definitions = hoistRepeats(properties);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Peregrine chart values',
    description: 'GENERATED by `node scripts/gen-helm-schema.ts` from the zod config schema — do not edit.',
    type: 'object',
    additionalProperties: false,
    properties,
    definitions,
  };
}

/**
 * Subschemas written out more than once (every output's `match`, `dedupe`, `retry` …, in its section
 * and in `outputs.<name>`) moved to `definitions` and referred to by `$ref`. Helm refuses a
 * values.schema.json over 5 MiB, and each output repeats the core's keys. The walk follows JSON
 * Schema's structure (never a `default`, `const` or `enum` value), only subschemas of at least
 * MIN_HOISTED bytes move, and the result is checked: with every `$ref` put back it must be the
 * schema it was, or generation fails.
 */
function hoistRepeats(properties: Json): Json {
  const MIN_HOISTED = 400;
  const seen = new Map<string, number>();
  const count = (schema: Json): void => {
    for (const [holder, key] of subschemas(schema)) {
      const child = (holder as Record<string | number, Json>)[key] as Json;
      const text = JSON.stringify(child);
      if (text.length >= MIN_HOISTED) seen.set(text, (seen.get(text) ?? 0) + 1);
      count(child);
    }
  };
  const definitions: Json = {};
  const names = new Map<string, string>();
  const hoist = (schema: Json): Json => {
    const copy: Json = { ...schema };
    for (const [holder, key, hint] of subschemas(copy)) {
      const child = (holder as Record<string | number, Json>)[key] as Json;
      const text = JSON.stringify(child);
      let replacement: Json;
      if ((seen.get(text) ?? 0) < 2) replacement = hoist(child);
      else {
        let name = names.get(text);
        if (name === undefined) {
          const base = hint.replace(/[^A-Za-z0-9_-]/g, '_');
          name = base;
          for (let i = 2; definitions[name] !== undefined; i++) name = `${base}${i}`;
          names.set(text, name);
          definitions[name] = {}; // the name is taken before the inside is visited
          definitions[name] = hoist(child);
        }
        replacement = { $ref: `#/definitions/${name}` };
      }
      (holder as Record<string | number, Json>)[key] = replacement;
    }
    return copy;
  };
  const root: Json = { properties };
  count(root);
  const hoisted = hoist(root).properties as Json;
  const expand = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(expand);
    if (!isObject(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/definitions/') && Object.keys(node).length === 1) return expand(definitions[ref.slice(14)]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expand(v)]));
  };
  if (JSON.stringify(expand(hoisted)) !== JSON.stringify(properties)) throw new Error('hoistRepeats changed the schema: fix it before writing values.schema.json');
  for (const key of Object.keys(properties)) properties[key] = hoisted[key];
  return definitions;
}

/**
 * The places in `schema` that hold a schema, each as [container, key, name hint]; containers are
 * copied in `schema` first so that a replacement never writes into a shared object.
 */
function subschemas(schema: Json): [Json | unknown[], string | number, string][] {
  const out: [Json | unknown[], string | number, string][] = [];
  for (const map of ['properties', 'patternProperties', 'definitions']) {
    if (!isObject(schema[map])) continue;
    const copy = (schema[map] = { ...(schema[map] as Json) });
    for (const key of Object.keys(copy)) if (isObject(copy[key])) out.push([copy, key, key]);
  }
  for (const key of ['additionalProperties', 'items', 'not', 'propertyNames', 'contains', 'if', 'then', 'else']) if (isObject(schema[key])) out.push([schema, key, key]);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (!Array.isArray(schema[key])) continue;
    const copy = (schema[key] = [...(schema[key] as unknown[])]);
    copy.forEach((child, i) => isObject(child) && out.push([copy, i, key]));
  }
  return out;
}

export function metaTemplate(plugins: readonly AnyOutputPlugin[] = outputs): string {
  return [
    '{{- /* GENERATED by `node scripts/gen-helm-schema.ts` from the zod config schema — do not edit. */ -}}',
    '{{- /* secrets: config paths the daemon marks secret (any form: map, "k:v,k:v" string, scalar); maps: free-form maps, sent whole as one env var when a key looks secret; textmaps: maps whose env form is "k=v,k=v"; keepempty: keys where "" is a value (elsewhere "" = unset); foreign: falcosidekick sections the daemon lacks, sent whole to the Secret; foreignoutputs: the keys that turn those on; falcosidekickkeys: falcosidekick chart keys in sections the daemon has (renamed, chart-only or ignored); instances: the same per output type, relative to outputs.<name>. */ -}}',
    `{{- define "peregrine.configMeta" -}}`,
    JSON.stringify(configMeta(plugins)),
    '{{- end -}}',
    '',
  ].join('\n');
}

if (import.meta.main) {
  writeGenerated(
    [
      [join(chart, 'values.schema.json'), `${JSON.stringify(await valuesSchema(), null, 2)}\n`],
      [join(chart, 'templates/_generated-config.tpl'), metaTemplate()],
    ],
    process.argv.includes('--check'),
    'node scripts/gen-helm-schema.ts',
  );
}
