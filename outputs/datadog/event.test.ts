// The Datadog event against what falcosidekick 2.34.1 posted for the same alerts (recorded from its
// build): byte for byte once Go's escaping of <>& and its final newline are undone, but for the
// alert with an empty output, where Peregrine sends the "text" the Events API requires.
import { describe, expect, it } from 'vitest';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { falcosidekickRequest, goJsonText } from '../../test/support/falcosidekick-http.ts';
import { datadogEvent, eventTags, MAX_TEXT } from './event.ts';

describe('datadog event', () => {
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))("%s: falcosidekick's body, byte for byte", (priority, alert) => {
    const theirs = falcosidekickRequest('datadog', priority).body as string;
    if (alert.output !== '') expect(datadogEvent(alert)).toBe(goJsonText(theirs));
    else {
      // falcosidekick leaves "text" out (omitempty); the Events API lists it as required.
      expect(datadogEvent(alert)).toBe(goJsonText(theirs).replace('"title":"Anonymous request allowed",', '"title":"Anonymous request allowed","text":"",'));
    }
  });

  it('alert_type: error for Emergency..Error, warning for Warning, info below', () => {
    expect(priorityAlerts().map((a) => (JSON.parse(datadogEvent(a)) as { alert_type: string }).alert_type)).toEqual(['error', 'error', 'error', 'error', 'warning', 'info', 'info', 'info']);
  });

  it('tags: string fields only, sorted by name; then source, source:falco, hostname, the rule tags', () => {
    const [emergency] = priorityAlerts();
    expect(eventTags(emergency!)).toEqual(['fd.name:10.0.0.5:41000->198.51.100.7:3333', 'proc.name:xmrig', 'source:syscall', 'source:falco', 'hostname:node-3', 'T1496', 'mitre_impact', 'network']);
  });

  it(`text is cut to the Events API's ${MAX_TEXT} characters`, () => {
    const [alert] = priorityAlerts();
    const long = { ...alert!, output: 'x'.repeat(5000) };
    const text = (JSON.parse(datadogEvent(long)) as { text: string }).text;
    expect(text).toBe(`${'x'.repeat(MAX_TEXT - 1)}…`);
  });
});
