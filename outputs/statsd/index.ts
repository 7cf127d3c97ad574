// falcosidekick's statsd: the counters it counts per alert (total, inputs.requests.accepted,
// falco.accepted by priority) to a StatsD server over UDP. falcosidekick 2.34.1 writes them with
// DogStatsD tags on this section too (its statsd client is datadog-go): so does Peregrine.
import { defineStatsdOutput } from './output.ts';

export default defineStatsdOutput({
  name: 'statsd',
  description: 'Count each alert in StatsD counters (falcosidekick.falco.accepted by priority, …) over UDP.',
  defaultPort: '8125',
});
