// Shape of $PEREGRINE_IT_STATE/alertmanager.json, written by test/infra/alertmanager/start.sh.
// Usage: const am = await useInfra<AlertmanagerInfra>('alertmanager');
//        fetch(`${am.urls[0]}/api/v2/alerts?filter=run="x"`)
// Two independent Alertmanagers (own storage, no clustering): an alert posted to one is not seen by
// the other, so a test can tell that each hostport received it. They are shared by every test file
// of a run: filter by a label unique to the test (extralabels) when reading alerts back.
export interface AlertmanagerInfra {
  /** Base URLs, e.g. ["http://127.0.0.1:40123", "http://127.0.0.1:40124"]. */
  urls: string[];
  /** Each Alertmanager's stdout/stderr. */
  logs: string[];
  /** "0.35.0" */
  version: string;
}
