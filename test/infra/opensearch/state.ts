// State of the OpenSearch node started by test/infra/opensearch/start.sh, as read by
// `await useInfra<OpenSearchInfra>('opensearch')`.
//
// OpenSearch 2.19 (official integ-test zip from Maven Central): plain HTTP on 127.0.0.1, no
// security plugin, no auth. Minimal module set (transport-netty4 only): no ingest pipelines, no
// data streams, no painless. The official @elastic/elasticsearch client refuses OpenSearch (product
// check): talk to it over plain HTTP (undici), like falcosidekick's elasticsearch output does.
// One node is shared by every test file of a run: use unique index names (no reset between files).

import type { SearchNodeInfra } from '../elasticsearch/state.ts';

export interface OpenSearchInfra extends SearchNodeInfra {
  /** OpenSearch version, e.g. "2.19.6". */
  version: string;
}
