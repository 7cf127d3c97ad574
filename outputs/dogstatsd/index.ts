// falcosidekick's dogstatsd: the same counters as statsd (outputs/statsd/), to a DogStatsD server
// (the Datadog agent) over UDP, with the section's constant tags.
import { defineStatsdOutput } from '../statsd/output.ts';

export default defineStatsdOutput({
  name: 'dogstatsd',
  description: 'Count each alert in DogStatsD counters (falcosidekick.falco.accepted with a priority tag, …) over UDP, e.g. to the Datadog agent.',
  defaultPort: '8125',
});
