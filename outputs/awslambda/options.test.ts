// The aws.lambda keys as falcosidekick users write them.
import { describe, expect, it } from 'vitest';
import plugin from './index.ts';

const parse = (section: Record<string, unknown>) => plugin.schema.safeParse(section);

describe('awslambda options', () => {
  it("falcosidekick's defaults: RequestResponse, Tail; off without a function name", () => {
    const options = plugin.schema.parse({});
    expect(options).toEqual({ functionname: '', invocationtype: 'RequestResponse', logtype: 'Tail' });
    expect(plugin.enabled(options)).toBe(false);
    expect(plugin.enabled(plugin.schema.parse({ functionname: 'falco' }))).toBe(true);
  });

  it.each(['falco-handler', 'falco:prod', 'falco:$LATEST', 'falco:3', '123456789012:function:falco', 'arn:aws:lambda:eu-west-1:123456789012:function:falco', 'arn:aws:lambda:eu-west-1:123456789012:function:falco:live'])(
    'accepts the function %s',
    (name) => {
      expect(parse({ functionname: name }).success).toBe(true);
    },
  );

  it.each(['falco handler', 'arn:aws:sqs:us-east-1:123456789012:q', `f${'x'.repeat(64)}`])('refuses the function %s', (name) => {
    expect(parse({ functionname: name }).success).toBe(false);
  });

  it('refuses DryRun (nothing would be invoked) and spellings AWS does not take', () => {
    const dry = parse({ functionname: 'f', invocationtype: 'DryRun' });
    expect(dry.success).toBe(false);
    expect(dry.error?.issues[0]?.message).toMatch(/DryRun only checks permissions/);
    expect(parse({ functionname: 'f', invocationtype: 'event' }).success).toBe(false);
    expect(parse({ functionname: 'f', logtype: 'tail' }).success).toBe(false);
    expect(parse({ functionname: 'f', invocationtype: 'Event', logtype: 'None' }).data).toEqual({ functionname: 'f', invocationtype: 'Event', logtype: 'None' });
  });
});
