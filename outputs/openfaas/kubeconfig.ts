// A kubeconfig file as client-go's clientcmd.BuildConfigFromFlags("", path) reads it for
// falcosidekick's openfaas, fission and kubeless `kubeconfig` keys: the current context's cluster
// (server, CA, insecure-skip-tls-verify) and user (token, tokenFile, client certificate). Relative
// file paths are relative to the kubeconfig's folder, as in client-go. Other ways to authenticate
// (exec plugins, auth-provider, username/password, impersonation) and proxy-url are refused by name
// rather than ignored: a request without the credentials the cluster expects would only be refused.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { loadYaml } from '../../src/plugin/index.ts';

export interface KubeTarget {
  /** The API server's URL; a path (a proxy's prefix, e.g. Rancher's /k8s/clusters/<id>) prefixes every request. */
  server: URL;
  /** PEM text of the CA bundle; absent = the system CAs. */
  ca?: string;
  insecure: boolean;
  /** TLS server name to check instead of the server URL's host (tls-server-name). */
  servername?: string;
  cert?: string;
  key?: string;
  /** A fixed bearer token (user.token). */
  token?: string;
  /** A file holding the bearer token, read again every minute (bound tokens rotate). */
  tokenFile?: string;
}

const UNSUPPORTED_USER_KEYS = ['exec', 'auth-provider', 'username', 'password', 'as', 'as-uid', 'as-groups', 'as-user-extra'];
const UNSUPPORTED_CLUSTER_KEYS = ['proxy-url'];

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads and parses the file (IO: call it from connect()). Throws a message naming the file and what is wrong. */
export function loadKubeconfig(file: string): KubeTarget {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read kubeconfig ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const read = (path: string, what: string) => {
    const full = isAbsolute(path) ? path : join(dirname(file), path);
    try {
      return readFileSync(full, 'utf8');
    } catch (err) {
      throw new Error(`kubeconfig ${file}: cannot read ${what} ${full}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
  };
  return parseKubeconfig(text, file, read, (path) => (isAbsolute(path) ? path : join(dirname(file), path)));
}

/** The current context's target. `read(path, what)` reads a referenced file; `resolve` makes a path absolute. */
function parseKubeconfig(text: string, file: string, read: (path: string, what: string) => string, resolve: (path: string) => string): KubeTarget {
  const bad = (what: string): never => {
    throw new Error(`kubeconfig ${file}: ${what}`);
  };
  let doc: unknown;
  try {
    doc = loadYaml().parse(text);
  } catch (err) {
    return bad(`not YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isObj(doc)) return bad('not a kubeconfig (no mapping at the top)');
  const contextName = doc['current-context'];
  if (typeof contextName !== 'string' || contextName === '') return bad('no current-context');
  const named = (list: string, name: string, key: string): Obj => {
    const entries = Array.isArray(doc[list]) ? (doc[list] as unknown[]) : [];
    const entry = entries.find((e) => isObj(e) && e.name === name);
    if (!isObj(entry) || !isObj(entry[key])) return bad(`${key} "${name}" not found in ${list}`);
    return entry[key];
  };
  const context = named('contexts', contextName, 'context');
  if (typeof context.cluster !== 'string') return bad(`context "${contextName}" names no cluster`);
  const cluster = named('clusters', context.cluster, 'cluster');
  const user = typeof context.user === 'string' && context.user !== '' ? named('users', context.user, 'user') : {};

  for (const key of UNSUPPORTED_CLUSTER_KEYS) if (cluster[key] !== undefined) bad(`cluster "${context.cluster}" uses ${key}, which Peregrine does not support`);
  for (const key of UNSUPPORTED_USER_KEYS) {
    if (user[key] !== undefined && user[key] !== '') bad(`user "${String(context.user)}" uses ${key}, which Peregrine does not support (use token, tokenFile or client-certificate/client-key)`);
  }

  if (typeof cluster.server !== 'string' || cluster.server === '') return bad(`cluster "${context.cluster}" has no server`);
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    return bad(`cluster "${context.cluster}": server ${cluster.server} is not a URL`);
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') bad(`cluster "${context.cluster}": server ${cluster.server} is not http(s)`);

  const pem = (dataKey: string, fileKey: string, what: string): string | undefined => {
    const data = cluster[dataKey] ?? user[dataKey];
    if (typeof data === 'string' && data !== '') return Buffer.from(data, 'base64').toString('utf8');
    const path = cluster[fileKey] ?? user[fileKey];
    return typeof path === 'string' && path !== '' ? read(path, what) : undefined;
  };
  const target: KubeTarget = { server, insecure: cluster['insecure-skip-tls-verify'] === true };
  const ca = pem('certificate-authority-data', 'certificate-authority', 'certificate-authority');
  if (ca !== undefined) target.ca = ca;
  if (typeof cluster['tls-server-name'] === 'string' && cluster['tls-server-name'] !== '') target.servername = cluster['tls-server-name'];
  const cert = pem('client-certificate-data', 'client-certificate', 'client-certificate');
  const key = pem('client-key-data', 'client-key', 'client-key');
  if ((cert === undefined) !== (key === undefined)) bad(`user "${String(context.user)}" has a client certificate without its key, or a key without its certificate`);
  if (cert !== undefined && key !== undefined) Object.assign(target, { cert, key });
  if (typeof user.token === 'string' && user.token !== '') target.token = user.token;
  else if (typeof user.tokenFile === 'string' && user.tokenFile !== '') target.tokenFile = resolve(user.tokenFile);
  return target;
}
