// Shape of $PEREGRINE_IT_STATE/mosquitto.json, written by test/infra/mosquitto/start.sh.
// Usage: const mq = await useInfra<MosquittoInfra>('mosquitto');
//        mqtt.broker: `tcp://${mq.host}:${mq.port}`, mqtt.user/password: mq.user/mq.password; read back as mq.reader.
export interface MosquittoInfra {
  /** "127.0.0.1" */
  host: string;
  port: number;
  /** The publisher: may publish to falco/# only. No anonymous access. */
  user: string;
  password: string;
  /** The subscriber the tests read with: may subscribe to anything. */
  reader: { user: string; password: string };
  /** mosquitto's log (connections, refusals). */
  log: string;
}
