// Shape of $PEREGRINE_IT_STATE/pubsub.json, written by test/infra/pubsub/start.sh.
// Usage: const ps = await useInfra<PubSubInfra>('pubsub');
//        PUBSUB_EMULATOR_HOST=ps.host, or new PubSub({ apiEndpoint: ps.host, projectId: ps.projectId, emulatorMode: true }).
// The server is pstest (cloud.google.com/go/pubsub/v2/pstest): the Pub/Sub API in memory, no auth,
// no IAM; it starts empty (create topics and subscriptions through the API).
export interface PubSubInfra {
  /** "127.0.0.1:40123": plain gRPC. */
  host: string;
  /** A project id to use ("peregrine-test"); pstest accepts any. */
  projectId: string;
  /** The server's stdout/stderr. */
  log: string;
}
