// gcp.pubsub.customattributes checked against Pub/Sub's limits at load, not at the first publish
// (https://cloud.google.com/pubsub/quotas#resource_limits): at most 100 attributes, keys of 1 to
// 256 bytes not starting with "goog", values of at most 1024 bytes.
import type { OptionProblem } from '../../src/plugin/index.ts';

const bytes = (text: string) => Buffer.byteLength(text);

export function attributeProblems(attributes: Readonly<Record<string, string>>): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const keys = Object.keys(attributes);
  if (keys.length > 100) problems.push({ path: 'customattributes', message: `has ${keys.length} attributes; Pub/Sub takes at most 100 per message` });
  for (const key of keys) {
    const value = attributes[key] ?? '';
    if (key === '' || bytes(key) > 256) problems.push({ path: 'customattributes', message: `key "${key.slice(0, 40)}" must be 1 to 256 bytes long` });
    else if (key.startsWith('goog')) problems.push({ path: 'customattributes', message: `key "${key}" starts with "goog", which Pub/Sub reserves` });
    if (bytes(value) > 1024) problems.push({ path: `customattributes.${key}`, message: `value is ${bytes(value)} bytes; Pub/Sub takes at most 1024` });
  }
  return problems;
}
