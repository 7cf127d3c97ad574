import { describe, expect, it } from 'vitest';
import { configFromEnv, configFromYaml, envProblems } from '../../test/support/config.ts';
import { brokerUrl } from './options.ts';

describe('mqtt options', () => {
  it('falcosidekick\'s defaults: topic falco/events, QoS 0, not retained, MQTT 3.1.1, checkcert on', () => {
    const { config, enabled } = configFromYaml('mqtt:\n  broker: tcp://mosquitto:1883\n');
    expect(enabled).toContain('mqtt');
    expect(config).toMatchObject({ mqtt: { broker: 'tcp://mosquitto:1883', topic: 'falco/events', qos: 0, retained: false, user: '', password: '', protocolversion: 4, checkcert: true, mutualtls: false } });
  });

  it('from env vars, as the chart passes them: QOS as a string, an empty topic is the default', () => {
    const { config } = configFromEnv({ MQTT_BROKER: 'ssl://broker:8883', MQTT_TOPIC: '', MQTT_QOS: '2', MQTT_RETAINED: 'true', MQTT_USER: 'falco', MQTT_PASSWORD: 'pw', MQTT_CHECKCERT: 'false', MQTT_MINIMUMPRIORITY: 'notice' });
    expect(config).toMatchObject({ mqtt: { broker: 'ssl://broker:8883', topic: 'falco/events', qos: 2, retained: true, user: 'falco', password: 'pw', checkcert: false, minimumpriority: 'notice' } });
  });

  it('off without a broker', () => {
    expect(configFromYaml('mqtt:\n  topic: a/b\n').enabled).not.toContain('mqtt');
  });

  it('what the broker could not take is a config error naming the key', () => {
    expect(envProblems({ MQTT_BROKER: 'mosquitto:1883' })).toEqual(['mqtt.broker: must be tcp://host:1883 or ssl://host:8883 (also mqtt://, mqtts://, tls://)']);
    expect(envProblems({ MQTT_BROKER: 'tcp://m:1883', MQTT_QOS: '3' })).toEqual(['mqtt.qos: must be 0, 1 or 2']);
    expect(envProblems({ MQTT_BROKER: 'tcp://m:1883', MQTT_TOPIC: 'falco/#' })).toEqual(['mqtt.topic: must not contain the wildcards + or # (a topic to publish to is a plain name)']);
    expect(envProblems({ MQTT_BROKER: 'tcp://m:1883', MQTT_PROTOCOLVERSION: '6' })).toEqual(['mqtt.protocolversion: must be 3 (MQTT 3.1), 4 (3.1.1) or 5']);
  });

  it('brokerUrl: paho\'s schemes as mqtt.js takes them, 1883 or 8883 by default', () => {
    expect(brokerUrl('tcp://mosquitto:1883')).toEqual({ url: 'mqtt://mosquitto:1883', tls: false });
    expect(brokerUrl('mqtt://mosquitto')).toEqual({ url: 'mqtt://mosquitto:1883', tls: false });
    expect(brokerUrl('ssl://broker.example.com')).toEqual({ url: 'mqtts://broker.example.com:8883', tls: true });
    expect(brokerUrl('tls://10.0.0.1:8884/')).toEqual({ url: 'mqtts://10.0.0.1:8884', tls: true });
    expect(brokerUrl('mqtts://[::1]:8883')).toEqual({ url: 'mqtts://[::1]:8883', tls: true });
  });
});
