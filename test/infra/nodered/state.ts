// Shape of $PEREGRINE_IT_STATE/nodered.json, written by test/infra/nodered/start.sh.
// Usage: const nr = await useInfra<NodeRedInfra>('nodered');
//        nodered: {address: `${nr.url}${nr.parsedPath}`, user: nr.user, password: nr.password}; read back the lines of nr.received.
// The server is Node-RED 4.1.15 (npm) on the project's Node 24, bound to 127.0.0.1, no editor, with
// httpNodeAuth {user, bcrypt(password)}: a wrong or missing password is answered 401 "Unauthorized"
// (and WWW-Authenticate: Basic) before any flow runs.

/** One line of `received`: what the flow behind a route got, written by its `file` node before the 200. */
export interface NodeRedReceived {
  /** "falco" (parsedPath) or "falco-raw" (rawPath). */
  route: string;
  /**
   * msg.payload. On parsedPath: the body as Node-RED's JSON parser made it (a number beyond 2^53,
   * such as evt.time, is already rounded there). On rawPath ("Accept raw body"): the bytes as sent, as text.
   */
  payload: unknown;
  /** msg.req.headers: the request headers, names lower-case. */
  headers: Record<string, string>;
}

export interface NodeRedInfra {
  /** Base URL, e.g. "http://127.0.0.1:40123". */
  url: string;
  /** "/falco": an `http in` node (POST) as the nodered output's docs set one up. */
  parsedPath: string;
  /** "/falco-raw": the same with skipBodyParsing ("Accept raw body"). */
  rawPath: string;
  /** httpNodeAuth user. */
  user: string;
  /** httpNodeAuth password (settings.cjs holds only its bcrypt hash). */
  password: string;
  /** JSON lines, one NodeRedReceived per request the flows took (start.sh's readiness probes have uuid "probe-…"). */
  received: string;
  /** The generated settings.cjs and flows.json. */
  settings: string;
  flows: string;
  /** Node-RED's own log. */
  log: string;
}
