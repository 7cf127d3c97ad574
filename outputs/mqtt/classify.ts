// What an mqtt.js error means: a refused connection (CONNACK return code), a refused publish (an MQTT 5
// acknowledgement's reason code), or a lost connection.
import { fail, retry, type Outcome } from '../../src/plugin/index.ts';

const AUTH_CODES = new Set([4, 5, 134, 135, 138, 140]);
/** MQTT 5 reason codes that refuse this message for good, whatever is tried again. */
const MESSAGE_CODES = new Set([144, 149, 153, 154, 155]);

/** `code`: the CONNACK return code (3.1.1) or the reason code (MQTT 5) mqtt.js put on the error. */
export function classifyMqttError(err: unknown, where: string): Outcome {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as Error & { code?: unknown }).code;
  if (typeof code === 'number' && AUTH_CODES.has(code)) {
    return retry(`${where}: ${e.message} (check mqtt.user and mqtt.password, and the broker's ACL for the topic)`, { auth: true });
  }
  if (typeof code === 'number' && MESSAGE_CODES.has(code)) return fail(`${where}: ${e.message}`);
  return retry(`${where}: ${e.message || e.name}`);
}
