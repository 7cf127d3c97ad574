// An in-process stand-in for the Kubernetes API server, for the wgpolicyk8s.io/v1alpha2
// PolicyReport and ClusterPolicyReport custom resources and the namespaces the policyreport output
// looks up, over TLS with a test CA. It answers as the API server does: GET, POST (create: 409
// AlreadyExists when the name is taken) and PUT (update: 409 Conflict on a stale
// metadata.resourceVersion, 422 Invalid without one, 404 for an object that does not exist), each
// object kept with the uid, resourceVersion and creationTimestamp the server sets; 401 for an unknown
// token, 403 for a user RBAC does not allow the verb on the resource, 404 "the server could not find
// the requested resource" when the CRDs are not installed; every refusal a Status object. Bodies are
// checked against the CRD's schema (required source and policy in each result, the summary's
// counters, the kind and apiVersion, the name in the path).
import { createServer, type Server } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { TestCerts } from './certs.ts';

export interface ApiRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface Answer {
  status: number;
  body: string;
}

type Obj = Record<string, unknown>;

const GROUP = '/apis/wgpolicyk8s.io/v1alpha2';
const NAMESPACED = new RegExp(`^${GROUP}/namespaces/([^/]+)/policyreports(?:/([^/?]+))?(?:\\?.*)?$`);
const CLUSTER = new RegExp(`^${GROUP}/clusterpolicyreports(?:/([^/?]+))?(?:\\?.*)?$`);
const NAMESPACE = /^\/api\/v1\/namespaces\/([^/?]+)(?:\?.*)?$/;

function status(code: number, reason: string, message: string, details?: Obj): Answer {
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
  return { status: code, body: `${JSON.stringify(body)}\n` };
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export class PolicyReportApi {
  readonly requests: ApiRequest[] = [];
  /** Tokens the server accepts, and the identity each has. */
  readonly tokens = new Map<string, string>();
  /** Identities RBAC lets do everything the output needs; others get 403. */
  readonly allowed = new Set<string>();
  /** Namespaces that exist. */
  readonly namespaces = new Set<string>(['default']);
  /** The CRDs are installed (else 404 for their paths). */
  crds = true;
  /** Answers to give instead, first in first out (a 500, a 429…), to the next requests of a method. */
  readonly scripted: { method: string; answer: Answer }[] = [];
  /** Stored objects by "<namespace>/<name>" ("" namespace for the cluster-scoped report). */
  readonly objects = new Map<string, Obj>();
  private version = 100;
  private server: Server | undefined;
  port = 0;
  private readonly certs: TestCerts;

  constructor(certs: TestCerts) {
    this.certs = certs;
  }

  async start(): Promise<this> {
    const c = this.certs;
    this.server = createServer({ cert: readFileSync(c.serverCert), key: readFileSync(c.serverKey) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(request);
        const answer = this.answer(request);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => (this.server as Server).listen(0, '127.0.0.1', resolve));
    this.port = ((this.server as Server).address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** The stored PolicyReport of a namespace ("" = the ClusterPolicyReport). */
  report(namespace: string, name = namespace === '' ? 'falco-cluster-policy-report' : 'falco-policy-report'): Obj | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  /** Someone else updates the stored object: its resourceVersion changes. */
  touch(namespace: string, name: string): void {
    const obj = this.objects.get(`${namespace}/${name}`);
    if (obj) (obj.metadata as Obj).resourceVersion = String(++this.version);
  }

  private answer(req: ApiRequest): Answer {
    const auth = req.headers.authorization;
    const who = typeof auth === 'string' && auth.startsWith('Bearer ') ? this.tokens.get(auth.slice(7)) : undefined;
    if (who === undefined) return status(401, 'Unauthorized', 'Unauthorized');
    const scripted = this.scripted.findIndex((s) => s.method === req.method);
    if (scripted >= 0) return (this.scripted.splice(scripted, 1)[0] as { answer: Answer }).answer;
    const ns = NAMESPACE.exec(req.url);
    if (ns) {
      const name = decodeURIComponent(ns[1] as string);
      if (req.method !== 'GET') return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      if (!this.allowed.has(who)) return status(403, 'Forbidden', `namespaces "${name}" is forbidden: User "${who}" cannot get resource "namespaces" in API group "" in the namespace "${name}"`, { name, kind: 'namespaces' });
      if (!this.namespaces.has(name)) return status(404, 'NotFound', `namespaces "${name}" not found`, { name, kind: 'namespaces' });
      return { status: 200, body: JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: { name, uid: `ns-${name}`, resourceVersion: '1' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }) };
    }
    const namespaced = NAMESPACED.exec(req.url);
    const cluster = namespaced ? undefined : CLUSTER.exec(req.url);
    if (!namespaced && !cluster) return status(404, 'NotFound', 'the server could not find the requested resource');
    if (!this.crds) return status(404, 'NotFound', 'the server could not find the requested resource');
    const namespace = namespaced ? decodeURIComponent(namespaced[1] as string) : '';
    const name = namespaced ? namespaced[2] : (cluster as RegExpExecArray)[1];
    const plural = namespaced ? 'policyreports' : 'clusterpolicyreports';
    const kind = namespaced ? 'PolicyReport' : 'ClusterPolicyReport';
    const verb = req.method === 'GET' ? 'get' : req.method === 'POST' ? 'create' : req.method === 'PUT' ? 'update' : '';
    if (verb === '' || (verb === 'create') !== (name === undefined)) return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const shown = name ?? '';
    if (!this.allowed.has(who)) {
      return status(403, 'Forbidden', `${plural}.wgpolicyk8s.io ${shown ? `"${shown}" ` : ''}is forbidden: User "${who}" cannot ${verb} resource "${plural}" in API group "wgpolicyk8s.io"${namespaced ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`, {
        ...(shown ? { name: shown } : {}),
        group: 'wgpolicyk8s.io',
        kind: plural,
      });
    }
    if (namespaced && !this.namespaces.has(namespace) && verb === 'create') return status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    const notFound = (n: string) => status(404, 'NotFound', `${plural}.wgpolicyk8s.io "${n}" not found`, { name: n, group: 'wgpolicyk8s.io', kind: plural });
    if (verb === 'get') {
      const obj = this.objects.get(`${namespace}/${name}`);
      return obj ? { status: 200, body: JSON.stringify(obj) } : notFound(name as string);
    }
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return status(400, 'BadRequest', 'the body of the request was in an unknown format');
    }
    const problem = this.invalid(body, kind);
    const metaName = isObj(body) && isObj(body.metadata) ? body.metadata.name : undefined;
    if (problem) return status(422, 'Invalid', `${kind}.wgpolicyk8s.io "${String(metaName)}" is invalid: ${problem}`, { name: String(metaName), group: 'wgpolicyk8s.io', kind });
    const obj = body as Obj & { metadata: Obj };
    if (verb === 'create') {
      const key = `${namespace}/${String(metaName)}`;
      if (this.objects.has(key)) return status(409, 'AlreadyExists', `${plural}.wgpolicyk8s.io "${String(metaName)}" already exists`, { name: String(metaName), group: 'wgpolicyk8s.io', kind: plural });
      const stored = { ...obj, metadata: { ...obj.metadata, ...(namespaced ? { namespace } : {}), uid: `uid-${key}`, resourceVersion: String(++this.version), generation: 1, creationTimestamp: '2026-11-20T10:00:00Z' } };
      this.objects.set(key, stored);
      return { status: 201, body: JSON.stringify(stored) };
    }
    if (metaName !== name) return status(400, 'BadRequest', `the name of the object (${String(metaName)}) does not match the name on the URL (${String(name)})`);
    const key = `${namespace}/${name}`;
    const current = this.objects.get(key);
    if (!current) return notFound(name as string);
    const rv = obj.metadata.resourceVersion;
    if (typeof rv !== 'string' || rv === '') return status(422, 'Invalid', `${kind}.wgpolicyk8s.io "${name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`, { name, group: 'wgpolicyk8s.io', kind });
    const currentMeta = current.metadata as Obj;
    if (rv !== currentMeta.resourceVersion) {
      return status(409, 'Conflict', `Operation cannot be fulfilled on ${plural}.wgpolicyk8s.io "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: 'wgpolicyk8s.io', kind: plural });
    }
    const stored = { ...obj, metadata: { ...obj.metadata, uid: currentMeta.uid, creationTimestamp: currentMeta.creationTimestamp, resourceVersion: String(++this.version), generation: Number(currentMeta.generation) + 1 } };
    this.objects.set(key, stored);
    return { status: 200, body: JSON.stringify(stored) };
  }

  /** What the CRD's OpenAPI schema would refuse, or undefined. */
  private invalid(body: unknown, kind: string): string | undefined {
    if (!isObj(body)) return 'the body is not an object';
    if (body.apiVersion !== 'wgpolicyk8s.io/v1alpha2') return `apiVersion: Invalid value: ${JSON.stringify(body.apiVersion)}`;
    if (body.kind !== kind) return `kind: Invalid value: ${JSON.stringify(body.kind)}`;
    if (!isObj(body.metadata) || typeof body.metadata.name !== 'string' || body.metadata.name === '') return 'metadata.name: Required value';
    if (body.summary !== undefined) {
      if (!isObj(body.summary)) return 'summary: Invalid value: must be an object';
      for (const [k, v] of Object.entries(body.summary)) if (!['pass', 'fail', 'warn', 'error', 'skip'].includes(k) || !Number.isInteger(v)) return `summary.${k}: Invalid value`;
    }
    if (body.results !== undefined) {
      if (!Array.isArray(body.results)) return 'results: Invalid value: must be an array';
      for (const [i, r] of body.results.entries()) {
        if (!isObj(r)) return `results[${i}]: Invalid value: must be an object`;
        if (typeof r.policy !== 'string') return `results[${i}].policy: Required value`;
        if (typeof r.source !== 'string' && r.source !== undefined) return `results[${i}].source: Invalid value`;
        if (r.result !== undefined && !['pass', 'fail', 'warn', 'error', 'skip'].includes(r.result as string)) return `results[${i}].result: Unsupported value: ${JSON.stringify(r.result)}`;
        if (r.severity !== undefined && !['critical', 'high', 'low', 'medium', 'info'].includes(r.severity as string)) return `results[${i}].severity: Unsupported value: ${JSON.stringify(r.severity)}`;
        if (!isObj(r.timestamp) || !Number.isInteger(r.timestamp.seconds) || !Number.isInteger(r.timestamp.nanos)) return `results[${i}].timestamp: Invalid value`;
        if (r.properties !== undefined && (!isObj(r.properties) || Object.values(r.properties).some((v) => typeof v !== 'string'))) return `results[${i}].properties: Invalid value: must be strings`;
      }
    }
    return undefined;
  }
}
