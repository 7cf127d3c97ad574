// The Chronicle API's logs:import (POST /v1beta/projects/*/locations/*/instances/*/logTypes/*/logs:import),
// as documented (cloud.google.com/chronicle/docs/reference/rest/v1beta/projects.locations.instances.logTypes.logs/import,
// .../rest/v1beta/Log, cloud.google.com/apis/design/errors): an ImportLogsRequest {hint?, inlineSource:
// {logs: [Log], forwarder?, sourceFilename?}}, each Log {data: base64 bytes, logEntryTime and
// collectionTime: RFC 3339 timestamps, collectionTime after logEntryTime, …}; the bearer token checked
// as the Cloud Functions stand-in checks it (a service account's self-signed JWT, verified with its
// public key); 200 with an empty body; errors as Google's {"error": {code, message, status}}:
// 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND (an unknown instance or log type),
// 400 INVALID_ARGUMENT (the whole import refused), 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE.
import { check, SaasReceiver, type Fault, type VendorSpec } from './saas-receiver.ts';
import { googleAuthorize, googleError, googleFault, type CloudFunctionsAccount } from './gcpcloudfunctions-receiver.ts';

const PATH = /^\/v1beta\/(projects\/[^/]+\/locations\/[^/]+\/instances\/[^/]+)\/logTypes\/([^/]+)\/logs:import$/;
// Protobuf's JSON Timestamp: RFC 3339, 0-9 fraction digits, Z or an offset.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const LOG_FIELDS = ['name', 'data', 'logEntryTime', 'collectionTime', 'environmentNamespace', 'labels', 'additionals', 'timeZone'];

export interface ChronicleState {
  /** projects/<p>/locations/<r>/instances/<i>: the one instance that exists. */
  parent: string;
  /** The log types it knows. */
  logTypes: string[];
  /** An import carrying data that decodes to this text is refused (400), as one unparseable log refuses the whole import. */
  refuseData?: string;
}

/** One imported log, decoded. */
export interface ImportedLog {
  data: string;
  logEntryTime: string;
  collectionTime: string;
}

function logProblems(problems: string[], where: string, log: unknown, refuseData: string | undefined): void {
  if (typeof log !== 'object' || log === null || Array.isArray(log)) {
    problems.push(`${where} must be a Log object`);
    return;
  }
  const entry = log as Record<string, unknown>;
  const before = problems.length;
  check.known(problems, `${where}.`, entry, LOG_FIELDS);
  if (typeof entry.data !== 'string' || entry.data === '' || entry.data.length % 4 !== 0 || !BASE64.test(entry.data)) problems.push(`${where}.data must be base64-encoded bytes`);
  else if (refuseData !== undefined && Buffer.from(entry.data, 'base64').toString('utf8') === refuseData) problems.push(`${where}.data could not be parsed`);
  for (const field of ['logEntryTime', 'collectionTime']) {
    const value = entry[field];
    if (typeof value !== 'string' || !TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) problems.push(`${where}.${field} must be an RFC 3339 timestamp`);
  }
  if (problems.length === before && Date.parse(entry.collectionTime as string) <= Date.parse(entry.logEntryTime as string)) problems.push(`${where}.collectionTime must be after logEntryTime`);
}

export function chronicleSpec(account: CloudFunctionsAccount, state: ChronicleState): VendorSpec & { tokenProblems: string[] } {
  const tokenProblems: string[] = [];
  return {
    tokenProblems,
    authorize: googleAuthorize(account, tokenProblems),
    validate(req) {
      const m = PATH.exec(req.url);
      if (req.method !== 'POST' || !m) return [`${req.method} ${req.url} is not logs:import`];
      if (m[1] !== state.parent || !state.logTypes.includes(m[2] ?? '')) return [`404:${m[1]}/logTypes/${m[2]}`];
      if (!String(req.headers['content-type']).startsWith('application/json')) return ['Content-Type must be application/json'];
      const body = check.object(req.body);
      if (typeof body === 'string') return [body];
      const problems: string[] = [];
      check.known(problems, '', body, ['hint', 'inlineSource']);
      check.text(problems, 'hint', body.hint);
      const source = body.inlineSource;
      if (typeof source !== 'object' || source === null || Array.isArray(source)) return [...problems, 'inlineSource is required'];
      const inline = source as Record<string, unknown>;
      check.known(problems, 'inlineSource.', inline, ['logs', 'forwarder', 'sourceFilename']);
      check.text(problems, 'inlineSource.forwarder', inline.forwarder);
      check.text(problems, 'inlineSource.sourceFilename', inline.sourceFilename);
      if (!Array.isArray(inline.logs) || inline.logs.length === 0) problems.push('inlineSource.logs must be a non-empty list');
      else inline.logs.forEach((log, i) => logProblems(problems, `inlineSource.logs[${i}]`, log, state.refuseData));
      return problems;
    },
    accept() {
      return { status: 200, body: {} };
    },
    reject(problems) {
      const missing = problems.find((p) => p.startsWith('404:'));
      if (missing) return { status: 404, body: googleError(404, 'NOT_FOUND', `Resource not found: ${missing.slice(4)}`) };
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', problems.join('; ')) };
    },
    fault: (fault: Fault) =>
      googleFault(fault, {
        quota: "Quota exceeded for quota metric 'Ingestion requests' and limit 'Ingestion requests per minute'",
        invalid: 'Invalid value at inline_source.logs[0].data',
        permission: `Permission 'chronicle.logs.import' denied on resource '${state.parent}' (or it may not exist).`,
      }),
  };
}

/** The logs of accepted imports, in order, decoded. */
export function importedLogs(receiver: SaasReceiver): ImportedLog[] {
  return receiver.acceptedJson<{ inlineSource: { logs: ImportedLog[] } }>().flatMap((b) => b.inlineSource.logs.map((l) => ({ ...l, data: Buffer.from(l.data, 'base64').toString('utf8') })));
}

export async function startChronicleReceiver(account: CloudFunctionsAccount, state: ChronicleState): Promise<{ receiver: SaasReceiver; tokenProblems: string[] }> {
  const spec = chronicleSpec(account, state);
  return { receiver: await new SaasReceiver(spec).start(), tokenProblems: spec.tokenProblems };
}
