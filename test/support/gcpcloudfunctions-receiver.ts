// The Cloud Functions v1 API's `functions.call` (POST /v1/projects/*/locations/*/functions/*:call),
// as documented (cloud.google.com/functions/docs/reference/rest/v1/projects.locations.functions/call,
// cloud.google.com/apis/design/errors): body {"data": string}; the bearer token checked, here a
// service account's self-signed JWT (RS256, iss = sub = the account, the cloud-platform scope, at
// most an hour), verified with the account's public key; answers CallFunctionResponse
// {executionId, result} or, when the function failed, {executionId, error}; errors as Google's
// {"error": {code, message, status}}: 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND,
// 400 INVALID_ARGUMENT, 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE.
import { verify, type KeyObject } from 'node:crypto';
import { check, SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';
import type { Received } from './receiver.ts';

export const googleError = (code: number, status: string, message: string) => ({ error: { code, message, status } });
const UNAUTHENTICATED = googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');

/** Google's 401 for a token it does not take, as its APIs answer it. */
const unauthenticated = (): Answer => ({ status: 401, headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' }, body: UNAUTHENTICATED });

/** A Google API's check of the bearer token: Google's 401 for one it does not take, the problem kept in `problems`. */
export function googleAuthorize(account: CloudFunctionsAccount, problems: string[]): (req: Received) => Answer | undefined {
  return (req) => {
    const problem = tokenProblem(req, account, Math.floor(Date.now() / 1000));
    if (problem === undefined) return undefined;
    problems.push(problem);
    return unauthenticated();
  };
}

/** A Google API's answer to an injected fault; `texts` are the API's own quota, invalid-argument and permission messages. */
export function googleFault(fault: Fault, texts: { quota: string; invalid: string; permission: string }): Answer {
  switch (fault.kind) {
    case 'throttle':
      return { status: 429, ...(fault.retryAfter ? { headers: { 'retry-after': fault.retryAfter } } : {}), body: googleError(429, 'RESOURCE_EXHAUSTED', texts.quota) };
    case 'unavailable':
      return { status: fault.status ?? 503, body: googleError(fault.status ?? 503, 'UNAVAILABLE', 'The service is currently unavailable.') };
    case 'invalid':
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', (fault.errors ?? [texts.invalid])[0] ?? '') };
    case 'status':
      return fault.status === 403
        ? { status: 403, body: googleError(403, 'PERMISSION_DENIED', texts.permission) }
        : { status: fault.status, body: googleError(fault.status, 'FAILED_PRECONDITION', 'Request refused') };
  }
}

export interface CloudFunctionsAccount {
  email: string;
  publicKey: KeyObject;
}

export interface CloudFunctionsState {
  /** The full name of the one function that exists. */
  name: string;
  /** When set, the function runs and fails with this error (answered 200 with `error`). */
  functionError?: string;
}

export function tokenProblem(req: Received, account: CloudFunctionsAccount, nowS: number): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || !auth.startsWith('Bearer ')) return 'no bearer token';
  const [h, p, s] = auth.slice(7).split('.');
  if (!h || !p || s === undefined) return 'not a JWT';
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss?: string; sub?: string; scope?: string; iat?: number; exp?: number };
  if (header.alg !== 'RS256') return 'alg is not RS256';
  if (!verify('sha256', Buffer.from(`${h}.${p}`), account.publicKey, Buffer.from(s, 'base64url'))) return 'bad signature';
  if (claims.iss !== account.email || claims.sub !== account.email) return 'iss/sub is not the account';
  if (!(claims.scope ?? '').split(' ').includes('https://www.googleapis.com/auth/cloud-platform')) return 'no cloud-platform scope';
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp - claims.iat > 3600 || claims.exp <= nowS || claims.iat > nowS + 60) return 'expired or too long-lived';
  return undefined;
}

export function cloudFunctionsSpec(account: CloudFunctionsAccount, state: CloudFunctionsState): VendorSpec & { tokenProblems: string[] } {
  const tokenProblems: string[] = [];
  let executions = 0;
  return {
    tokenProblems,
    authorize: googleAuthorize(account, tokenProblems),
    validate(req) {
      const m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/functions\/[^/:]+):call$/.exec(req.url);
      if (req.method !== 'POST' || !m) return [`${req.method} ${req.url} is not functions.call`];
      if (m[1] !== state.name) return [`404:${m[1]}`];
      if (!String(req.headers['content-type']).startsWith('application/json')) return ['Content-Type must be application/json'];
      const body = check.object(req.body);
      if (typeof body === 'string') return [body];
      const problems: string[] = [];
      check.known(problems, '', body, ['data']);
      check.text(problems, 'data', body.data, { required: true });
      if (problems.length === 0) {
        const alert = check.object(body.data as string);
        if (typeof alert === 'string') problems.push(`data: ${alert}`);
        else for (const field of ['output', 'priority', 'rule', 'time']) check.text(problems, `data.${field}`, alert[field], { required: true });
      }
      return problems;
    },
    accept() {
      const executionId = `exec${++executions}`;
      return { status: 200, body: state.functionError ? { executionId, error: state.functionError } : { executionId, result: 'ok' } };
    },
    reject(problems) {
      const missing = problems.find((p) => p.startsWith('404:'));
      if (missing) {
        const [, project, region, fn] = /projects\/([^/]+)\/locations\/([^/]+)\/functions\/(.+)$/.exec(missing) ?? [];
        return { status: 404, body: googleError(404, 'NOT_FOUND', `Function ${fn} in region ${region} in project ${project} does not exist`) };
      }
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', problems.join('; ')) };
    },
    fault: (fault: Fault) =>
      googleFault(fault, {
        quota: "Quota exceeded for quota metric 'Function calls' and limit 'Function calls per 100 seconds'",
        invalid: 'Invalid value at data',
        permission: `Permission 'cloudfunctions.functions.call' denied on resource '${state.name}' (or resource may not exist).`,
      }),
  };
}

export async function startCloudFunctionsReceiver(account: CloudFunctionsAccount, state: CloudFunctionsState): Promise<{ receiver: SaasReceiver; tokenProblems: string[] }> {
  const spec = cloudFunctionsSpec(account, state);
  return { receiver: await new SaasReceiver(spec).start(), tokenProblems: spec.tokenProblems };
}
