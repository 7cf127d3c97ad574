// An in-process stand-in for an Azure Event Hubs namespace (no server can be run here: the emulator
// is Docker-only), speaking what @azure/event-hubs' producer uses over plain AMQP 1.0 (rhea): SASL
// ANONYMOUS, claims-based security on the `$cbs` node (put-token with a SharedAccessSignature checked
// as Microsoft documents it: HMAC-SHA256 over "<url-encoded resource>\n<expiry>" with the named
// policy's key, resource and expiry checked; a `jwt` put-token's signature checked by the test's
// issuer, its audience and expiry here), optionally over TLS as the service (port 5671),
// and sender links to `<hub>` and `<hub>/Partitions/<id>` that take batched messages (format
// 0x80013700, one AMQP message per data section) and settle them accepted, or rejected with the
// service's documented conditions when the test scripts a fault. The producer never calls the
// `$management` node (no partition ids are asked for when sending to the hub), so it is not served.
// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-protocol-guide
// https://learn.microsoft.com/azure/event-hubs/authenticate-shared-access-signature
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import rhea, { type Connection, type EventContext, type Message, type Receiver, type Sender } from 'rhea';

/** A shared access policy of the namespace: its name, key and rights. */
export interface EventHubPolicy {
  name: string;
  key: string;
  rights: readonly ('Send' | 'Listen' | 'Manage')[];
}

/** One event the hub accepted. */
export interface ReceivedEvent {
  hub: string;
  /** The partition the sender link named; undefined when sent to the hub (the service picks one). */
  partition: string | undefined;
  /** The event's body (its data section) as text. */
  body: string;
  /** The AMQP section the body came in: "data" for bytes. */
  bodyType: 'data' | 'other';
  /** The message's message-id property, if any. */
  messageId: unknown;
}

/** A put-token the `$cbs` node answered. */
export interface PutToken {
  audience: string;
  type: string;
  status: 202 | 401 | 404;
  description: string;
}

/** A scripted answer to the next transfer, instead of accepting it (conditions as the service sends them). */
export type EventHubFault = 'server-busy' | 'quota-exceeded' | 'message-too-large' | 'not-found' | 'unauthorized';

interface Claim {
  audience: string;
  rights: readonly string[];
  expiresAtMs: number;
}

export interface EventHubReceiverOptions {
  /** The hubs of the namespace. */
  hubs: readonly string[];
  policies: readonly EventHubPolicy[];
  /** The link's max-message-size (bytes): 1 MiB as a Standard namespace. */
  maxMessageBytes?: number;
  /** Checks a `jwt` put-token's signature (Azure AD): its audience, expiry and the rights of its role (default Send and Listen), or why it is refused. */
  verifyJwt?: (token: string) => { aud: string; expiresAtMs: number; rights?: readonly string[] } | { refused: string };
  now?: () => number;
  /** The port to listen on (default: any free one). */
  port?: number;
  /** Serve AMQP over TLS (as the service, on 5671) with this certificate: PEM texts. */
  tls?: { key: string; cert: string };
}

const BATCH_FORMAT = 0x80013700;
const STANDARD_MAX_MESSAGE_BYTES = 1_048_576;
const TRACKING = 'TrackingId:00000000-0000-0000-0000-000000000000_G0, SystemTracker:peregrine-standin';

export class EventHubReceiver {
  /** Events accepted, in arrival order. */
  readonly events: ReceivedEvent[] = [];
  /** Every put-token and its answer. */
  readonly putTokens: PutToken[] = [];
  /** Every transfer: how many events it held and how it was settled. */
  readonly transfers: { hub: string; events: number; outcome: 'accepted' | EventHubFault }[] = [];
  /** What a client did that the service would not take (bad frames, unknown nodes): a test expects []. */
  readonly problems: string[] = [];
  private readonly faults: EventHubFault[] = [];
  private readonly emitter = new EventEmitter();
  private readonly claims = new Map<Connection, Claim[]>();
  private readonly options: Required<Omit<EventHubReceiverOptions, 'verifyJwt' | 'tls' | 'port'>> & Pick<EventHubReceiverOptions, 'verifyJwt' | 'tls' | 'port'>;
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();

  constructor(options: EventHubReceiverOptions) {
    this.options = { maxMessageBytes: STANDARD_MAX_MESSAGE_BYTES, now: Date.now, ...options };
  }

  async start(): Promise<this> {
    const container = rhea.create_container({ id: 'peregrine-eventhubs-standin' });
    container.sasl_server_mechanisms.enable_anonymous();
    container.on('connection_open', (ctx: EventContext) => this.connections.add(ctx.connection));
    container.on('disconnected', (ctx: EventContext) => this.forget(ctx.connection));
    container.on('connection_close', (ctx: EventContext) => this.forget(ctx.connection));
    container.on('receiver_open', (ctx: EventContext) => this.onReceiverOpen(ctx.receiver as Receiver, ctx.connection));
    container.on('sender_open', (ctx: EventContext) => this.onSenderOpen(ctx.sender as Sender));
    container.on('message', (ctx: EventContext) => this.onMessage(ctx));
    container.on('error', (err: unknown) => this.problems.push(`container error: ${String(err)}`));
    const tls = this.options.tls ? { transport: 'tls', key: this.options.tls.key, cert: this.options.tls.cert } : {};
    const server = container.listen({ port: this.options.port ?? 0, host: '127.0.0.1', require_sasl: true, autoaccept: false, ...tls } as unknown as Parameters<typeof container.listen>[0]) as Server;
    await new Promise<void>((resolve) => server.once('listening', resolve));
    this.server = server;
    return this;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  /** The namespace's host as a client names it: the audience of every token. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A connection string of the policy, as the portal shows it, for the local (plain AMQP) endpoint. */
  connectionString(policy: EventHubPolicy = this.options.policies[0] as EventHubPolicy, key = policy.key): string {
    return `Endpoint=sb://${this.host};SharedAccessKeyName=${policy.name};SharedAccessKey=${key};UseDevelopmentEmulator=true`;
  }

  /** The next transfers are answered with these faults, in order. */
  failNext(...faults: EventHubFault[]): void {
    this.faults.push(...faults);
  }

  /** Resolves once `count` events were accepted in all. */
  waitForEvents(count: number): Promise<ReceivedEvent[]> {
    return this.waitUntil(() => this.events.length >= count).then(() => this.events.slice(0, count));
  }

  /** Resolves once `test` holds, checked after every put-token and transfer. */
  waitUntil(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!test()) return;
        this.emitter.off('change', check);
        resolve();
      };
      this.emitter.on('change', check);
    });
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private forget(connection: Connection): void {
    this.connections.delete(connection);
    this.claims.delete(connection);
  }

  // The client's sender: `$cbs`, or an event hub (a partition of it).
  private onReceiverOpen(receiver: Receiver, connection: Connection): void {
    const address = receiver.target?.address ?? '';
    receiver.set_target({ address });
    echoSettleModes(receiver);
    if (address === '$cbs') return;
    const [hub, partitions, partition, ...rest] = address.split('/');
    const entity = `sb://${this.host}/${address}`;
    if (!hub || !this.options.hubs.includes(hub) || rest.length > 0 || (partitions !== undefined && (partitions !== 'Partitions' || !/^\d+$/.test(partition ?? '')))) {
      receiver.close({ condition: 'amqp:not-found', description: `The messaging entity '${entity}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.  ${TRACKING}` });
      return;
    }
    if (!this.authorized(connection, entity, 'Send')) {
      receiver.close({ condition: 'amqp:unauthorized-access', description: `Unauthorized access. 'Send' claim(s) are required to perform this operation. Resource: '${entity}'. ${TRACKING}` });
      return;
    }
    // The attach answer is written after this handler: it announces the hub's message size.
    (receiver as unknown as { local: { attach: { max_message_size?: number } } }).local.attach.max_message_size = this.options.maxMessageBytes;
  }

  // The client's receiver: the reply link of `$cbs`.
  private onSenderOpen(sender: Sender): void {
    const address = sender.source?.address ?? '';
    sender.set_source({ address });
    echoSettleModes(sender);
    if (address !== '$cbs') {
      this.problems.push(`a receiver link to ${address}: a producer never receives`);
      sender.close({ condition: 'amqp:not-implemented', description: `the stand-in serves no receiver link to ${address}` });
    }
  }

  private onMessage(ctx: EventContext): void {
    const receiver = ctx.receiver as Receiver;
    const address = receiver.target?.address ?? '';
    if (address === '$cbs') {
      ctx.delivery?.accept();
      this.putToken(ctx.message as Message, ctx.connection);
    } else this.transfer(ctx, address);
    this.emitter.emit('change');
  }

  private putToken(request: Message, connection: Connection): void {
    const props = (request.application_properties ?? {}) as Record<string, unknown>;
    const audience = String(props.name ?? '');
    const type = String(props.type ?? '');
    const answer = (status: PutToken['status'], description: string) => {
      this.putTokens.push({ audience, type, status, description });
      const replyTo = String(request.reply_to ?? '');
      const reply = connection.find_sender((s: Sender) => s.name === replyTo || s.target?.address === replyTo);
      if (!reply) {
        this.problems.push(`put-token with reply_to ${replyTo}: no receiver link of that name`);
        return;
      }
      reply.send({ body: null, correlation_id: request.message_id, application_properties: { 'status-code': rhea.types.wrap_int(status), 'status-description': description } }); // an AMQP int, as the service sends it
    };
    if (props.operation !== 'put-token') return answer(401, `Operation ${String(props.operation)} is not supported. ${TRACKING}`);
    // The service takes an audience in the namespace with the sb://, amqp:// or amqps:// scheme (Go's SDK sends amqps://).
    const scheme = /^(sb|amqps?):\/\//i.exec(audience)?.[0] ?? '';
    const resource = `sb://${this.host}/`;
    if (!scheme || !audience.slice(scheme.length).toLowerCase().startsWith(`${this.host}/`)) return answer(401, `InvalidAudience: the token audience ${audience} is not in this namespace. ${TRACKING}`);
    const hub = audience.slice(scheme.length + this.host.length + 1).split('/')[0] ?? '';
    if (!this.options.hubs.includes(hub)) return answer(404, `The messaging entity '${resource}${hub}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions. ${TRACKING}`);
    const entity = `${resource}${audience.slice(scheme.length + this.host.length + 1)}`;
    const claim = type === 'servicebus.windows.net:sastoken' ? this.checkSas(String(request.body ?? ''), entity) : type === 'jwt' ? this.checkJwt(String(request.body ?? ''), entity) : { refused: `token type ${type} is not supported` };
    if ('refused' in claim) return answer(401, `${claim.refused}. ${TRACKING}`);
    this.claims.set(connection, [...(this.claims.get(connection) ?? []), claim]);
    answer(202, 'Accepted');
  }

  // https://learn.microsoft.com/rest/api/eventhub/generate-sas-token
  private checkSas(token: string, audience: string): Claim | { refused: string } {
    if (!token.startsWith('SharedAccessSignature ')) return { refused: 'InvalidSignature: the token is not a SharedAccessSignature' };
    const fields = new Map(token.slice('SharedAccessSignature '.length).split('&').map((pair) => pair.split('=', 2) as [string, string]));
    const [sr, sig, se, skn] = ['sr', 'sig', 'se', 'skn'].map((k) => fields.get(k));
    if (!sr || !sig || !se || !skn) return { refused: 'InvalidSignature: the token lacks sr, sig, se or skn' };
    const policy = this.options.policies.find((p) => p.name === decodeURIComponent(skn));
    if (!policy) return { refused: `Unauthorized: the shared access policy '${decodeURIComponent(skn)}' does not exist` };
    const expected = createHmac('sha256', policy.key).update(`${sr}\n${se}`).digest();
    const given = Buffer.from(decodeURIComponent(sig), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'InvalidSignature: The token has an invalid signature' };
    const expiresAtMs = Number(se) * 1000;
    if (!Number.isFinite(expiresAtMs) || expiresAtMs <= this.options.now()) return { refused: `ExpiredToken: The token is expired. Expiration time: '${se}'` };
    const scope = decodeURIComponent(sr);
    if (!audience.toLowerCase().startsWith(scope.toLowerCase().replace(/\/$/, ''))) return { refused: `InvalidAudience: The token audience ${scope} does not cover ${audience}` };
    return { audience: scope, rights: policy.rights, expiresAtMs };
  }

  // An Azure AD token: Event Hubs takes the audience https://eventhubs.azure.net/ (the scope the SDKs ask for).
  private checkJwt(token: string, audience: string): Claim | { refused: string } {
    if (!this.options.verifyJwt) return { refused: 'InvalidIssuer: Azure AD tokens are not accepted by this namespace' };
    const verdict = this.options.verifyJwt(token);
    if ('refused' in verdict) return verdict;
    if (verdict.aud.replace(/\/$/, '') !== 'https://eventhubs.azure.net') return { refused: `InvalidAudience: the token's audience ${verdict.aud} is not https://eventhubs.azure.net/` };
    if (verdict.expiresAtMs <= this.options.now()) return { refused: 'ExpiredToken: the token is expired' };
    return { audience, rights: verdict.rights ?? ['Send', 'Listen'], expiresAtMs: verdict.expiresAtMs };
  }

  private authorized(connection: Connection, entity: string, right: string): boolean {
    const now = this.options.now();
    return (this.claims.get(connection) ?? []).some((c) => c.expiresAtMs > now && c.rights.includes(right) && entity.toLowerCase().startsWith(c.audience.toLowerCase().replace(/\/$/, '')));
  }

  private transfer(ctx: EventContext, address: string): void {
    const delivery = ctx.delivery;
    const [hub = '', , partition] = address.split('/');
    // rhea leaves a message of a format other than 0 undecoded: the batch is read here.
    const format = (delivery as unknown as { format?: number }).format;
    const raw = ctx.message as unknown;
    const inner = format === BATCH_FORMAT && Buffer.isBuffer(raw) ? sectionsOf(rhea.message.decode(raw).body).map((b) => rhea.message.decode(b)) : [ctx.message as Message];
    const fault = this.faults.shift();
    if (fault) {
      this.transfers.push({ hub, events: inner.length, outcome: fault });
      delivery?.reject(FAULTS[fault](`sb://${this.host}/${address}`));
      return;
    }
    if (format !== BATCH_FORMAT && format !== 0) this.problems.push(`a transfer of message format ${String(format)}`);
    for (const event of inner) {
      const section = event.body as { typecode?: number; content?: unknown } | undefined;
      const data = section?.typecode === 0x75 && Buffer.isBuffer(section.content);
      this.events.push({ hub, partition, body: data ? (section.content as Buffer).toString('utf8') : JSON.stringify(event.body), bodyType: data ? 'data' : 'other', messageId: event.message_id });
    }
    this.transfers.push({ hub, events: inner.length, outcome: 'accepted' });
    delivery?.accept();
  }
}

/** The service takes the settle modes a client's attach asks for (Go's CBS link asks for "settled"). */
function echoSettleModes(link: Sender | Receiver): void {
  const local = (link as unknown as { local: { attach: { snd_settle_mode?: number; rcv_settle_mode?: number } } }).local.attach;
  if (link.snd_settle_mode !== undefined) local.snd_settle_mode = link.snd_settle_mode;
  if (link.rcv_settle_mode !== undefined) local.rcv_settle_mode = link.rcv_settle_mode;
}

/** The data sections of a batched message (rhea gives one Buffer, or a list of them). */
function sectionsOf(body: unknown): Buffer[] {
  const content = (body as { content?: unknown } | undefined)?.content;
  if (Buffer.isBuffer(content)) return [content];
  return Array.isArray(content) ? content.filter((c): c is Buffer => Buffer.isBuffer(c)) : [];
}

// The service's rejections, by the conditions its AMQP errors document.
// https://learn.microsoft.com/azure/event-hubs/event-hubs-amqp-troubleshoot
const FAULTS: Record<EventHubFault, (entity: string) => { condition: string; description: string }> = {
  'server-busy': () => ({ condition: 'com.microsoft:server-busy', description: `The request was terminated because the entity is being throttled. Error code : 50002. Sub error : 102. Please wait 4 seconds and try again. ${TRACKING}` }),
  'quota-exceeded': () => ({ condition: 'amqp:resource-limit-exceeded', description: `Exceeded the quota of the namespace: the entity cannot take more data now. ${TRACKING}` }),
  'message-too-large': () => ({ condition: 'amqp:link:message-size-exceeded', description: `The received message (delivery-id:0, size:1048700 bytes) exceeds the limit (1048576 bytes) currently allowed on the link. ${TRACKING}` }),
  'not-found': (entity) => ({ condition: 'amqp:not-found', description: `The messaging entity '${entity}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions. ${TRACKING}` }),
  unauthorized: (entity) => ({ condition: 'amqp:unauthorized-access', description: `Unauthorized access. 'Send' claim(s) are required to perform this operation. Resource: '${entity}'. ${TRACKING}` }),
};
