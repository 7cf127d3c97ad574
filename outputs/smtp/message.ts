// What falcosidekick's smtp output writes for an alert (outputs/smtp_templates.go): subject
// "[<Priority>] <output>", a plain-text body of labelled lines and the fields, and an HTML table
// coloured by priority. Every alert value is escaped in the HTML: alert text is attacker-influenced.
// The digest form lists a batch of alerts in one message.
import { serializeAlert, truncate, type Alert } from '../../src/plugin/index.ts';

// falcosidekick's colours per priority (smtp_templates.go).
const COLOURS: Record<Alert['priority'], string> = {
  Emergency: '#e20b0b',
  Alert: '#ff5400',
  Critical: '#ff9000',
  Error: '#ffc700',
  Warning: '#ffff00',
  Notice: '#5bffb5',
  Informational: '#68c2ff',
  Debug: '#ccfff2',
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/**
 * A field value as text: strings as they are, everything else as its JSON (big integers exact), null
 * as falcosidekick prints a nil map value: `<no value>` in the text part (text/template), nothing in
 * the HTML part (html/template); checked against falcosidekick run beside Peregrine.
 */
function fieldText(value: unknown, nil: string): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return nil;
  return JSON.stringify(value);
}

/** Output fields sorted by key, as Go's template range over a map prints them. */
function fields(alert: Alert, nil: string): [string, string][] {
  return Object.keys(alert.output_fields)
    .sort()
    .map((key) => [key, fieldText(alert.output_fields[key], nil)]);
}

/**
 * Characters of subject kept. An output of 100 KB made a header of thousands of folded lines, which
 * servers cut (Postfix's header_size_limit) or refuse; the body carries the whole output.
 */
export const SUBJECT_CHARS = 1000;

function subjectOf(alert: Alert): string {
  // Header folding and encoding are nodemailer's; line breaks in the output must not start new headers.
  return truncate(`[${alert.priority}] ${alert.output}`.replace(/[\r\n]+/g, ' '), SUBJECT_CHARS, '…');
}

export function textOf(alert: Alert): string {
  return [
    `Priority: ${alert.priority}`,
    `Output: ${alert.output}`,
    `Rule: ${alert.rule}`,
    `Source: ${alert.source}`,
    `Hostname: ${alert.hostname ?? ''}`,
    `Tags: ${alert.tags.map((t) => `${t} `).join('')}`,
    `Time: ${alert.time}`,
    '',
    '--Fields--',
    ...fields(alert, '<no value>').map(([k, v]) => `${k}: ${v}`),
    '',
  ].join('\n');
}

const CELL = 'style="background-color:#858585"><span style="font-size:14px;color:#fff;"><strong>';

function row(label: string, value: string): string {
  return `<tr><td ${CELL}${escapeHtml(label)}</strong></span></td><td style="background-color:#d1d6da">${escapeHtml(value)}</td></tr>`;
}

/** One alert as falcosidekick's HTML block (without its remote logo image). */
function htmlBlock(alert: Alert): string {
  const table = 'cellpadding="3" cellspacing="0" style="font-family:arial,helvetica,sans-serif; width:700px; font-size:13px"';
  return [
    `<table ${table}><tbody><tr><td style="background-color:${COLOURS[alert.priority]}; width:700px; text-align:center;"><span style="font-size:12px; color:#fff;"><strong>${escapeHtml(alert.priority)}</strong></span></td></tr></tbody></table>`,
    `<table ${table}><tbody>`,
    row('Output', alert.output),
    row('Rule', alert.rule),
    row('Source', alert.source),
    row('Hostname', alert.hostname ?? ''),
    row('Tags', alert.tags.join(' ')),
    row('Time', alert.time),
    '</tbody></table><br>',
    `<table ${table}><tbody><tr><td style="background-color:#858585; width:700px; text-align:center;"><span style="font-size:12px; color:#fff;"><strong>Fields</strong></span></td></tr></tbody></table>`,
    `<table ${table}><tbody>`,
    ...fields(alert, '').map(([k, v]) => row(k, v)),
    '</tbody></table>',
  ].join('\n');
}

function htmlOf(alerts: readonly Alert[]): string {
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>\n${alerts.map(htmlBlock).join('\n<hr>\n')}\n</body></html>`;
}

export interface Mail {
  subject: string;
  text: string;
  html?: string;
  date: Date;
  messageId: string;
  /** The alerts' JSON, attached to a digest so nothing is lost to formatting. */
  attachment?: string;
}

const RANK: readonly Alert['priority'][] = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

/** One message per alert (falcosidekick's), with the uuid in its Message-ID so replays can be spotted. */
export function alertMail(alert: Alert, html: boolean, date: Date): Mail {
  return { subject: subjectOf(alert), text: textOf(alert), ...(html ? { html: htmlOf([alert]) } : {}), date, messageId: `<${alert.uuid}@peregrine>` };
}

/** One message for a batch: the highest priority and count in the subject, every alert in the body. */
export function digestMail(alerts: readonly Alert[], html: boolean, date: Date): Mail {
  const top = RANK.find((p) => alerts.some((a) => a.priority === p)) ?? 'Debug';
  const rules = [...new Set(alerts.map((a) => a.rule))];
  const subject = `[${top}] ${alerts.length} Falco alert${alerts.length === 1 ? '' : 's'}: ${rules.slice(0, 3).join(', ')}${rules.length > 3 ? ', …' : ''}`.replace(/[\r\n]+/g, ' ');
  return {
    subject,
    text: alerts.map(textOf).join('\n----------------------------------------\n\n'),
    ...(html ? { html: htmlOf(alerts) } : {}),
    date,
    messageId: `<${alerts[0]?.uuid}-${alerts.length}@peregrine>`,
    attachment: alerts.map((a) => `${serializeAlert(a)}\n`).join(''),
  };
}
