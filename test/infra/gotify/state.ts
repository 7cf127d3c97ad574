// Shape of $PEREGRINE_IT_STATE/gotify.json, written by test/infra/gotify/start.sh.
// Usage: const gotify = await useInfra<GotifyInfra>('gotify'); then gotify.hostport: gotify.url, gotify.token: gotify.token.
// The server is Gotify (built from its Go module with a placeholder UI), a fresh SQLite database.
export interface GotifyInfra {
  /** "http://127.0.0.1:<port>" */
  url: string;
  /** The admin user and its password (basic auth for the REST API: reading messages back). */
  user: string;
  password: string;
  /** The test application's token (X-Gotify-Key). */
  token: string;
  applicationId: number;
  /** The server's log. */
  log: string;
}
