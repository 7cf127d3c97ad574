// The outputs and their filters as they stood between two config reloads, frozen. The memory trail
// keeps, with each alert, the snapshot it arrived under (shared with every alert of the same
// config) and explains from it when the console asks: a reload changes neither why an old alert was
// not routed nor the outputs it lists. The SQLite trail writes the reasons with the alert instead;
// the memory one would pay an explanation per alert and output that did not take it, and keep its
// strings alive.
import type { Alert } from '../alert/alert.ts';
import { NOT_ROUTED, type RouteExplainer, type RouteFilter } from './types.ts';

export class RouteSnapshot {
  readonly outputs: readonly string[];
  /** Each output's filter, in the order of `outputs`; undefined: routes known only by `explainer` (which must not change). */
  private readonly filters: readonly (RouteFilter | undefined)[] | undefined;
  private readonly explainer: RouteExplainer;

  constructor(outputs: readonly string[], filters: ReadonlyMap<string, RouteFilter> | undefined, explainer: RouteExplainer) {
    this.outputs = Object.freeze([...outputs]);
    this.filters = filters ? Object.freeze(outputs.map((output) => filters.get(output))) : undefined;
    this.explainer = explainer;
  }

  /** Why `output` did not take the alert, by the filter it had when this snapshot was taken. */
  explain(alert: Alert, output: string): string {
    if (!this.filters) return this.explainer(alert, output);
    const at = this.outputs.indexOf(output);
    return (at < 0 ? undefined : this.filters[at]?.explain(alert)) ?? NOT_ROUTED;
  }

  /** Whether the live list of outputs is still this one (a reload rewrites it in place): a comparison per output. */
  sameOutputs(outputs: readonly string[]): boolean {
    if (outputs.length !== this.outputs.length) return false;
    for (let i = 0; i < outputs.length; i++) if (outputs[i] !== this.outputs[i]) return false;
    return true;
  }

  /**
   * Whether these outputs still have the filters they had (a reload sets new ones): only those an
   * alert's record explains need to be, so an alert every output took checks none.
   */
  sameFilters(filters: ReadonlyMap<string, RouteFilter> | undefined, outputs: readonly string[]): boolean {
    if (!filters || !this.filters) return true;
    for (const output of outputs) if (filters.get(output) !== this.filters[this.outputs.indexOf(output)]) return false;
    return true;
  }
}
