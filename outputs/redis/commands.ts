// The one command a batch becomes, in falcosidekick's data layout: storagetype list appends each
// alert's JSON to the list (falcosidekick: one RPUSH per alert; here one RPUSH with every value, in
// order), hashmap sets one field per alert, named by its uuid (one HSET with every pair).
import { serializeAlert, type Alert } from '../../src/plugin/index.ts';

export function batchCommand(alerts: readonly Alert[], storagetype: 'list' | 'hashmap', key: string): string[] {
  if (storagetype === 'hashmap') return ['HSET', key, ...alerts.flatMap((alert) => [alert.uuid, serializeAlert(alert)])];
  return ['RPUSH', key, ...alerts.map(serializeAlert)];
}
