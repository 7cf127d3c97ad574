// What a nats.js error means for the alerts of a batch: every one of them is the connection's or
// the server's, retried; refused credentials mark the output failing.
import { retry, type Outcome } from '../../src/plugin/index.ts';

/** A connection or protocol error as the batch's outcome. */
export function classifyNatsError(err: unknown, hostport: string): Outcome {
  const e = err instanceof Error ? err : new Error(String(err));
  const where = hostport.replace(/\/\/[^@/]*@/g, '//');
  const chain = [e, e.cause].filter((c): c is Error => c instanceof Error);
  const text = chain.map((c) => c.message).join(': ');
  if (chain.some((c) => c.name === 'AuthorizationError' || /authorization violation|authentication/i.test(c.message))) {
    return retry(`${where}: ${text} (check the user and password, or the token, in nats.hostport)`, { auth: true });
  }
  if (chain.some((c) => c.name === 'UserAuthenticationExpiredError')) {
    return retry(`${where}: ${text} (the credentials have expired)`, { auth: true });
  }
  return retry(`${where}: ${text}`);
}
