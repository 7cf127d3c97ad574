// Shape of $PEREGRINE_IT_STATE/fakegcs.json, written by test/infra/fakegcs/start.sh.
// Usage: const gcs = await useInfra<FakeGcsInfra>('fakegcs');
//        STORAGE_EMULATOR_HOST=gcs.endpoint (the @google-cloud/storage and Go clients then use it
//        without auth); objects: GET ${gcs.endpoint}/storage/v1/b/<bucket>/o and ?alt=media.
// The server is fake-gcs-server (in memory): it honours ifGenerationMatch but checks no IAM, so a
// refused credential cannot be produced with it.
export interface FakeGcsInfra {
  /** "http://127.0.0.1:40123" */
  endpoint: string;
  /** "127.0.0.1:40123" */
  host: string;
  /** fake-gcs-server's stdout/stderr. */
  log: string;
}
