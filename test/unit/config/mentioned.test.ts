// Which outputs a daemon imports: the ones its config file and environment mention (config/mentioned.ts).
import { describe, expect, it } from 'vitest';
import { outputEntries } from '../../../outputs/index.ts';
import { mentionedOutputs } from '../../../src/config/mentioned.ts';
import { EMBEDDED_DEFAULT } from '../../../src/config/default.ts';

const mentioned = (raw: unknown, env: NodeJS.ProcessEnv = {}) => {
  const names = mentionedOutputs(outputEntries, raw, env);
  return names === 'all' ? names : [...names].sort();
};
const AWS = ['awscloudwatchlogs', 'awskinesis', 'awslambda', 'awss3', 'awssecuritylake', 'awssns', 'awssqs'];

describe('mentionedOutputs', () => {
  it('the embedded default mentions stdout only', () => {
    expect(mentioned(EMBEDDED_DEFAULT)).toEqual(['stdout']);
  });

  it('a top-level key, in any case, mentions its output; global keys mention none', () => {
    expect(mentioned({ Slack: { webhookurl: '' }, listenport: 2801, customfields: { a: 'b' }, debug: true })).toEqual(['slack']);
  });

  it('the aws section mentions every output under it', () => {
    expect(mentioned({ aws: { region: 'eu-west-1' } })).toEqual(AWS);
  });

  it('a SECTION_ env var mentions its output; an empty one does not', () => {
    expect(mentioned({}, { WEBHOOK_ADDRESS: 'http://x', TEAMS_WEBHOOKURL: '', PATH: '/bin', HOME: '/root', AWS_REGION: 'eu-west-1' })).toEqual([...AWS, 'webhook'].sort());
  });

  it('a named instance mentions its type, from the file or OUTPUTS__<NAME>__TYPE', () => {
    expect(mentioned({ outputs: { 'soc-pager': { type: 'pagerduty', routingkey: 'x' } } })).toEqual(['pagerduty']);
    expect(mentioned({}, { OUTPUTS__SOC_CHAT__TYPE: 'slack', OUTPUTS__SOC_CHAT__WEBHOOKURL: 'https://hooks.slack.com/x' })).toEqual(['slack']);
    // The environment completes an instance of the file: its type comes from there.
    expect(mentioned({ outputs: { 'soc-chat': { type: 'mattermost' } } }, { OUTPUTS__SOC_CHAT__WEBHOOKURL: 'https://x' })).toEqual(['mattermost']);
  });

  it('an unknown or missing instance type loads every output (the error lists the known types)', () => {
    expect(mentioned({ outputs: { x: { type: 'nosuch' } } })).toBe('all');
    expect(mentioned({ outputs: { x: { address: 'http://x' } } })).toBe('all');
    expect(mentioned({}, { OUTPUTS__X__ADDRESS: 'http://x' })).toBe('all');
  });

  it('an unknown top-level key loads every output (it may be a typo of one: the suggestion needs them)', () => {
    expect(mentioned({ slak: { webhookurl: 'https://x' } })).toBe('all');
  });

  it('a falcosidekick section Peregrine lacks loads nothing for it', () => {
    expect(mentioned({ stan: { hostport: 'nats://x:4222' }, webhook: { address: 'http://x' } })).toEqual(['webhook']);
  });

  it('a file that is not a mapping mentions nothing (loadConfig says what is wrong)', () => {
    expect(mentioned(['a'])).toEqual([]);
    expect(mentioned('text')).toEqual([]);
  });
});
