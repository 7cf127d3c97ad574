import { describe, expect, it } from 'vitest';
import { classifyMqttError } from './classify.ts';

const coded = (message: string, code: number) => Object.assign(new Error(message), { code });
const WHERE = 'tcp://m:1883 topic falco/events';
const AUTH = '(check mqtt.user and mqtt.password, and the broker\'s ACL for the topic)';

describe('classifyMqttError', () => {
  it.each([
    // CONNACK return codes (MQTT 3.1.1), as mqtt.js words them.
    [coded('Connection refused: Bad username or password', 4), { kind: 'retry', auth: true, reason: `${WHERE}: Connection refused: Bad username or password ${AUTH}` }],
    [coded('Connection refused: Not authorized', 5), { kind: 'retry', auth: true, reason: `${WHERE}: Connection refused: Not authorized ${AUTH}` }],
    [coded('Connection refused: Server unavailable', 3), { kind: 'retry', reason: `${WHERE}: Connection refused: Server unavailable` }],
    [coded('Connection refused: Identifier rejected', 2), { kind: 'retry', reason: `${WHERE}: Connection refused: Identifier rejected` }],
    // MQTT 5 reason codes, on CONNACK or on a PUBACK/PUBREC.
    [coded('Connection refused: Bad User Name or Password', 134), { kind: 'retry', auth: true, reason: `${WHERE}: Connection refused: Bad User Name or Password ${AUTH}` }],
    [coded('Publish error: Not authorized', 135), { kind: 'retry', auth: true, reason: `${WHERE}: Publish error: Not authorized ${AUTH}` }],
    [coded('Connection refused: Banned', 138), { kind: 'retry', auth: true, reason: `${WHERE}: Connection refused: Banned ${AUTH}` }],
    [coded('Publish error: Quota exceeded', 151), { kind: 'retry', reason: `${WHERE}: Publish error: Quota exceeded` }],
    [coded('Publish error: Server busy', 137), { kind: 'retry', reason: `${WHERE}: Publish error: Server busy` }],
    [coded('Publish error: Packet too large', 149), { kind: 'fail', reason: `${WHERE}: Publish error: Packet too large` }],
    [coded('Publish error: Topic Name invalid', 144), { kind: 'fail', reason: `${WHERE}: Publish error: Topic Name invalid` }],
    [coded('Publish error: Payload format invalid', 153), { kind: 'fail', reason: `${WHERE}: Publish error: Payload format invalid` }],
    [coded('Publish error: Retain not supported', 154), { kind: 'fail', reason: `${WHERE}: Publish error: Retain not supported` }],
    [coded('Publish error: QoS not supported', 155), { kind: 'fail', reason: `${WHERE}: Publish error: QoS not supported` }],
    // The connection.
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1883'), { code: 'ECONNREFUSED' }), { kind: 'retry', reason: `${WHERE}: connect ECONNREFUSED 127.0.0.1:1883` }],
    [new Error('client disconnecting'), { kind: 'retry', reason: `${WHERE}: client disconnecting` }],
    [new Error('connack timeout'), { kind: 'retry', reason: `${WHERE}: connack timeout` }],
  ])('%s', (err, outcome) => {
    expect(classifyMqttError(err, WHERE)).toEqual(outcome);
  });
});
