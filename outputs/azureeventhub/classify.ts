// A failed Event Hubs call → an outcome, by the SDK's MessagingError code (the AMQP condition the
// service answered, core-amqp's errors.ts) or the credential's error. The SDK's own retries are off
// (index.ts), so every answer comes here once.
// https://learn.microsoft.com/azure/event-hubs/event-hubs-messaging-exceptions
import { fail, retry, truncate, type Outcome } from '../../src/plugin/index.ts';

/** Who was asked: the hub and its namespace, for the hints. */
export interface Target {
  name: string;
  namespace: string;
  /** Which credential: the key to fix. */
  auth: 'connectionstring' | 'defaultazurecredential';
}

/** ServerBusy and QuotaExceeded answers name no delay (unless the text does): the worker waits at least this. */
const THROTTLE_AFTER_MS = 4000;

// The refusal is about the message sent: the service will refuse it again.
const REFUSED = new Set(['MessageTooLargeError', 'ArgumentError', 'ArgumentOutOfRangeError', 'InvalidOperationError', 'DecodeError', 'InvalidFieldError', 'NotImplementedError', 'FrameSizeTooSmallError']);
const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError']);
const REASON_MAX = 600;

export function classifyEventHubError(err: unknown, target: Target): Outcome {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown; errors?: unknown };
  const name = typeof e.name === 'string' ? e.name : '';
  const text = typeof e.message === 'string' && e.message !== '' ? e.message : err instanceof AggregateError ? err.errors.map((x: unknown) => (x as Error).message).join('; ') : String(err);
  const message = truncate(firstLine(text), REASON_MAX);
  const credential = target.auth === 'connectionstring' ? 'azure.eventhub.connectionstring' : 'the identity DefaultAzureCredential finds (environment, workload identity, managed identity, Azure CLI)';
  if (CREDENTIAL_ERRORS.has(name)) return retry(`no Azure AD token: ${truncate(text.replace(/\s+/g, ' ').trim(), REASON_MAX)} (set up an identity DefaultAzureCredential can use, or set azure.eventhub.connectionstring)`, { auth: true });
  if (err instanceof AggregateError) return unreachable(target, message);
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (name !== 'MessagingError' || code === undefined) return retry(`Event Hubs: ${message}`);
  const said = `Event Hubs answered ${code}: ${message}`;
  switch (code) {
    case 'UnauthorizedError':
    case 'PublisherRevokedError':
      return retry(`${said} (the credentials were refused: check ${credential}; it needs the Send right on ${target.name}, the "Azure Event Hubs Data Sender" role for an identity)`, { auth: true });
    case 'MessagingEntityNotFoundError':
      return retry(`${said} (event hub ${target.name} does not exist in ${target.namespace}: create it or fix azure.eventhub.name)`, { auth: true });
    case 'MessagingEntityDisabledError':
      return retry(`${said} (event hub ${target.name} is disabled: enable it)`, { auth: true });
    case 'ServiceCommunicationError':
    case 'ConnectionRedirectError':
      return unreachable(target, message);
    case 'ServerBusyError':
    case 'QuotaExceededError':
      return retry(said, { afterMs: waitInText(message) ?? THROTTLE_AFTER_MS });
    default:
      return REFUSED.has(code) ? fail(said) : retry(said);
  }
}

function unreachable(target: Target, message: string): Outcome {
  return retry(`cannot reach the Event Hubs namespace ${target.namespace}: ${message} (check azure.eventhub.namespace, DNS and that AMQP port 5671 is open)`);
}

/** "Please wait 4 seconds and try again", as ServerBusy answers say. */
function waitInText(text: string): number | undefined {
  const m = /wait (\d+) seconds?/i.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

function firstLine(text: string): string {
  const at = text.indexOf('\n');
  return (at < 0 ? text : text.slice(0, at)).trim();
}
