// The output plugin contract (docs/adding-an-output.md). An output is one object; the core owns everything else.
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Alert } from '../alert/alert.ts';
import type { SendResult } from '../dispatch/result.ts';
import type { Clock } from '../dispatch/clock.ts';
import type { ClientTls } from './tls.ts';

export interface BatchDefaults {
  maxevents: number;
  maxbytes: number;
  flushms: number;
}

/** Handed to connect(): what an output may need from the global configuration. */
export interface ConnectContext {
  /** The instance name (== YAML key for single-instance outputs). */
  name: string;
  log: Logger;
  /** Client TLS material from the global mutualtlsclient and tlsclient keys. */
  tls: ClientTls;
  userAgent: string;
  /** The output's `timeoutms`, for clients that take a timeout at creation. */
  timeoutMs: number;
  /** The output's `maxconcurrency`. */
  concurrency: number;
  /** Time, for anything the output waits on (a fake clock in tests). */
  clock: Clock;
  /**
   * Keys the enrichment adds to every alert's output_fields (global customfields and
   * templatedfields), for outputs that treat them apart: falcosidekick's Loki output makes them
   * stream labels, OTLP puts customfields on the resource. Absent = none.
   */
  enrichment?: { customfields: readonly string[]; templatedfields: readonly string[] };
  /**
   * The parsed keys of the plugin's `shared` section (falcosidekick's `aws.accesskeyid`, `aws.region`…),
   * without the outputs' sub-sections; `{}` when the plugin declares none. Type it with the
   * section's own schema (`z.output<typeof awsShared.schema>`).
   */
  shared: Readonly<Record<string, unknown>>;
  /**
   * The running output instances, read live (a hot reload changes them): `name` the instance name,
   * `type` its plugin's name. For an output that tells its destination where else alerts go
   * (falcosidekick's `webui` sends its list of enabled outputs). Absent = not known.
   */
  outputs?: () => readonly { name: string; type: string }[];
}

/**
 * Keys several outputs read from one YAML section (falcosidekick's `aws:` credentials, shared by
 * `aws.sqs`, `aws.s3`, …). Declared once, referenced by every plugin that reads it: the core puts
 * its keys at `path` in the config schema (beside the outputs' sub-sections), and hands their
 * values to each such plugin's connect() as `ctx.shared`.
 */
export interface SharedSection<Schema extends z.ZodObject = z.ZodObject> {
  /** Where the keys live: `['aws']`. */
  path: readonly string[];
  /** What the section is for (the generated docs show it). */
  description: string;
  /** The shared keys only; every field .describe()d, secrets marked. */
  schema: Schema;
}

export interface SendContext<Options, Client> {
  options: Options;
  client: Client;
  /** Aborts when `timeoutms` elapses: pass it to every request. */
  signal: AbortSignal;
  log: Logger;
  /** Time, for anything the output waits on (Splunk ack polls, rate limits): a fake clock in tests. */
  clock: Clock;
}

export interface HealthContext<Options, Client> {
  options: Options;
  client: Client;
  signal: AbortSignal;
  clock: Clock;
}

/** A problem `validate()` found: `path` is relative to the output's section ("token", "tls.certfile"). */
export interface OptionProblem {
  path: string;
  message: string;
}

/** `ok: false` with a message a human can act on ("401 from /_security/_authenticate: check username/password"). */
export interface HealthResult {
  ok: boolean;
  message?: string;
}

export interface OutputPlugin<Schema extends z.ZodObject = z.ZodObject, Client = unknown> {
  /** One name everywhere: folder, metric label, log binding, and YAML key unless `section` says otherwise. */
  name: string;
  /**
   * Where the options live in the YAML when it is not the top-level key `name`: falcosidekick puts
   * its AWS outputs under one `aws:` section, so `awssqs` reads `['aws', 'sqs']` (env `AWS_SQS_URL`).
   * Read a section with `sectionOf(config, plugin)` (src/config/schema.ts), never `config[name]`.
   */
  section?: readonly string[];
  /** A shared section whose keys this output also reads (handed to connect() as `ctx.shared`). */
  shared?: SharedSection;
  /**
   * falcosidekick keys of this output named like a core key: rabbitmq's `queue` is its queue's name,
   * where every output's `queue` holds the core's queue bounds. A text value there (file, or the
   * SECTION_KEY env var) is read as the plugin's own key named here (`{queue: 'queuename'}`); a
   * mapping stays the core's. src/config/aliases.ts applies them.
   */
  aliases?: Readonly<Record<string, string>>;
  description: string;
  /** Destination options only; every field .describe()d; secrets marked with `secret()`. */
  schema: Schema;
  /** A minimal enabled configuration, used in docs and the contract test. */
  example: Record<string, unknown>;
  /** falcosidekick's rule: an output is on when its address key is set. */
  enabled(options: z.output<Schema>): boolean;
  /** Batching defaults; absent means one alert per send. */
  batch?: BatchDefaults;
  /** Default `maxconcurrency` (1 when absent). */
  concurrency?: number;
  /** Default request rate limit (`sendrate.*`), for a destination with a documented quota. Absent: none. */
  sendrate?: { requestspersecond: number; burst: number };
  /**
   * Core settings implied by the output's own legacy keys (falcosidekick's `elasticsearch.batching.*`).
   * Explicit core keys (`batch`, `maxconcurrency`, a non-empty `minimumpriority`) win over these, and
   * these over the defaults above. `minimumpriority` here must already be a valid priority or "".
   */
  legacySettings?(options: z.output<Schema>): { batch?: Partial<BatchDefaults>; maxconcurrency?: number; minimumpriority?: string };
  /**
   * Checks across keys that the schema alone cannot express ("token is required when hostport is
   * set"), run by config loading for enabled outputs so --check-config reports them. Pure: no IO.
   */
  validate?(options: z.output<Schema>): OptionProblem[];
  connect?(options: z.output<Schema>, ctx: ConnectContext): Promise<Client> | Client;
  healthcheck?(ctx: HealthContext<z.output<Schema>, Client>): Promise<HealthResult>;
  sendBatch(alerts: readonly Alert[], ctx: SendContext<z.output<Schema>, Client>): Promise<SendResult>;
  close?(client: Client): Promise<void> | void;
}

// The registry holds plugins of many option types; the core only handles them generically.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOutputPlugin = OutputPlugin<z.ZodObject, any>;
