// One alert's Teams message as the request body, within Teams' message size limit: 28 KB for a
// channel message, whether from an O365 connector or a Workflows flow. An alert with long command
// lines or file names went over it and was refused; now its longest texts are cut (ending in "…")
// until the message fits, the header's priority and time always whole.
import type { Alert } from '../../src/plugin/index.ts';
import { adaptiveCardMessage } from './adaptive-card.ts';
import { messageCard } from './messagecard.ts';
import type { TeamsOptions } from './options.ts';

/** Teams' 28 KB, less room for what Teams itself adds around the card. */
export const MAX_BODY_BYTES = 27_000;

export function teamsBody(alert: Alert, options: TeamsOptions): string {
  const build = (cap: number) => JSON.stringify(options.format === 'messagecard' ? messageCard(alert, options, cap) : adaptiveCardMessage(alert, options, cap));
  let body = build(Infinity);
  // Each text at most `cap` characters, halving from 4,096. Past 64 the card is sent as it is: an
  // alert of hundreds of fields, which Teams refuses with an answer the dead letter records.
  for (let cap = 4096; Buffer.byteLength(body) > MAX_BODY_BYTES && cap >= 64; cap = Math.floor(cap / 2)) body = build(cap);
  return body;
}
