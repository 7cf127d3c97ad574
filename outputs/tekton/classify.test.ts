// The EventListener's answers, classified: every row of docs/outputs/tekton.md's table.
import { describe, expect, it } from 'vitest';
import { classifyTekton } from './classify.ts';

const accepted = '{"eventListener":"falco-listener","namespace":"tekton-pipelines","eventListenerUID":"7f0c","eventID":"2b1d"}\n';

describe('classifyTekton', () => {
  it.each([
    [202, accepted, { kind: 'ok' }],
    [201, accepted, { kind: 'ok' }],
    [500, '', { kind: 'retry', reason: 'HTTP 500' }],
    [503, 'no endpoints available', { kind: 'retry', reason: 'HTTP 503: no endpoints available' }],
    [
      400,
      '{"eventListener":"falco-listener","namespace":"tekton-pipelines","eventListenerUID":"","errorMessage":"Invalid event body format format: unexpected end of JSON input"}\n',
      { kind: 'fail', reason: 'HTTP 400: {"eventListener":"falco-listener","namespace":"tekton-pipelines","eventListenerUID":"","errorMessage":"Invalid event body format format: unexpected end of JSON input"}' },
    ],
    [404, '404 page not found\n', { kind: 'fail', reason: 'HTTP 404: 404 page not found' }],
  ])('%i → %o', (status, text, expected) => {
    expect(classifyTekton({ status, headers: {}, text }, 0)).toMatchObject(expected);
  });

  it.each([401, 403])('%i (the EventListener\'s service account refused by RBAC, in releases that waited for the triggers): held, naming RBAC', (status) => {
    expect(classifyTekton({ status, headers: {}, text: accepted }, 0)).toMatchObject({
      kind: 'retry',
      auth: true,
      reason: `HTTP ${status}: ${accepted.trim()} (the EventListener's service account may not create the TriggerTemplate's resources: check its RBAC)`,
    });
  });
});
