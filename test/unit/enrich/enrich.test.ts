import { describe, it, expect } from 'vitest';
import { buildEnricher, type EnrichConfig } from '../../../src/enrich/enrich.ts';
import { ConfigError } from '../../../src/errors.ts';
import { k8sAlert } from './alerts.ts';

const EMPTY: EnrichConfig = { customfields: {}, customtags: [], templatedfields: {}, bracketreplacer: '' };

function enrich(config: Partial<EnrichConfig>, alert = k8sAlert()) {
  return buildEnricher({ ...EMPTY, ...config })(alert);
}

function configProblems(config: Partial<EnrichConfig>) {
  try {
    buildEnricher({ ...EMPTY, ...config });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('buildEnricher with nothing configured', () => {
  it('returns the alert itself, untouched', () => {
    const alert = k8sAlert();
    const enricher = buildEnricher(EMPTY);
    expect(enricher(alert)).toBe(alert);
    expect(buildEnricher(EMPTY)).toBe(enricher); // one shared identity function
  });
});

describe('customfields', () => {
  it('adds fields and overwrites a Falco field of the same name, keeping key case', () => {
    const out = enrich({ customfields: { environment: 'production', Cluster_Name: 'us-east-1-prod' } });
    expect(out.output_fields['environment']).toBe('production');
    expect(out.output_fields['Cluster_Name']).toBe('us-east-1-prod');
    expect(out.output_fields['cluster_name']).toBeUndefined();
    expect(out.output_fields['k8s.ns.name']).toBe('payments');
  });

  it('keeps big integers as they were parsed, so they serialise to the same digits', () => {
    const out = enrich({ customfields: { team: 'platform' } });
    expect(JSON.stringify(out.output_fields)).toContain('"evt.time":1700000000167531875');
  });
});

describe('customtags', () => {
  it('adds the new tags, drops duplicates and sorts them all, as falcosidekick sorts', () => {
    const out = enrich({ customtags: ['shell', 'prod', 'pci', 'prod'] });
    expect(out.tags).toEqual(['T1059', 'container', 'mitre_execution', 'pci', 'prod', 'shell']);
  });

  it('works on an alert without tags and leaves output_fields shared', () => {
    const alert = k8sAlert({ tags: undefined });
    const out = enrich({ customtags: ['prod'] }, alert);
    expect(out.tags).toEqual(['prod']);
    expect(out.output_fields).toBe(alert.output_fields);
  });
});

describe('bracketreplacer', () => {
  it('renames bracketed keys as falcosidekick does ("[" becomes the replacer, "]" is dropped)', () => {
    const out = enrich({ bracketreplacer: '_' });
    expect(out.output_fields['proc.aname_2']).toBe('containerd-shim');
    expect(out.output_fields).not.toHaveProperty('proc.aname[2]');
    expect(Object.keys(out.output_fields)).toHaveLength(Object.keys(k8sAlert().output_fields).length);
  });

  it('is off when empty', () => {
    expect(enrich({ customtags: ['x'] }).output_fields['proc.aname[2]']).toBe('containerd-shim');
  });

  it('runs after customfields and templates, as in falcosidekick: templates see the bracketed key, every key is renamed', () => {
    const out = enrich({
      bracketreplacer: '.',
      customfields: { 'custom[1]': 'kept' },
      templatedfields: { parent: '{{lookup output_fields "proc.aname[2]"}}', 'tf[0]': '{{rule}}' },
    });
    expect(out.output_fields['parent']).toBe('containerd-shim');
    expect(out.output_fields['custom.1']).toBe('kept');
    expect(out.output_fields['tf.0']).toBe('Terminal shell in container');
    expect(out.output_fields['proc.aname[2]']).toBeUndefined();
  });
});

describe('outputfieldformat', () => {
  it('rewrites output with falcosidekick\'s placeholders', () => {
    const out = enrich({
      customfields: { env: 'prod', region: 'eu' },
      templatedfields: { team: '{{ index . "k8s.ns.labels.team" }}' },
      customtags: ['pci'],
      outputfieldformat: '<timestamp>: <priority> <output> [<custom_fields>] [<templated_fields>] <tags>',
    });
    expect(out.output).toBe(
      '10:21:36.167531875: Warning Shell spawned in a container (user=root) [env=prod region=eu] [team=checkout] T1059,container,mitre_execution,pci,shell',
    );
  });

  it('trims what empty placeholders leave at the end, and leaves an output that is not Falco\'s line alone', () => {
    expect(enrich({ outputfieldformat: '<priority> <output> (<custom_fields>)' }).output).toBe('Warning Shell spawned in a container (user=root)');
    expect(enrich({ outputfieldformat: '<output>!' }, k8sAlert({ output: 'hand-written' })).output).toBe('hand-written');
  });
});

describe('templatedfields', () => {
  it('render Handlebars with lookup of dotted keys, alert fields and big integers as digits', () => {
    const out = enrich({
      templatedfields: {
        where: '{{lookup output_fields "k8s.ns.name"}}/{{lookup output_fields "k8s.pod.name"}} on {{hostname}}',
        when: '{{lookup output_fields "evt.time"}}',
        what: '{{rule}} ({{priority}}, {{source}}, {{uuid}}) {{time}}',
        html: '{{output}} <b>&</b>',
      },
    });
    expect(out.output_fields['where']).toBe('payments/web-7d9 on node-1');
    expect(out.output_fields['when']).toBe('1700000000167531875');
    const nested = enrich({ templatedfields: { list: '{{lookup output_fields "ids"}}' } }, k8sAlert({}, { ids: [JSON.rawJSON('12345678901234567890'), 2] }));
    expect(nested.output_fields['list']).toBe('12345678901234567890,2');
    expect(out.output_fields['what']).toBe('Terminal shell in container (Warning, syscall, fixed-uuid) 2026-11-20T10:21:36.167531875Z');
    expect(out.output_fields['html']).toBe('10:21:36.167531875: Warning Shell spawned in a container (user=root) <b>&</b>');
  });

  it('see customfields, and store every result as a string', () => {
    const out = enrich({
      customfields: { environment: 'production' },
      templatedfields: { label: '{{upper (lookup output_fields "environment")}}', pid: '{{lookup output_fields "proc.pid"}}' },
    });
    expect(out.output_fields['label']).toBe('PRODUCTION');
    expect(out.output_fields['pid']).toBe('4242');
  });

  it('do not see each other: every template renders against the same view', () => {
    const out = enrich({ templatedfields: { a: 'A', b: '[{{lookup output_fields "a"}}]' } });
    expect(out.output_fields['b']).toBe('[]');
  });

  it('see the tags with customtags added (falcosidekick appends them before rendering)', () => {
    const out = enrich({ customtags: ['prod'], templatedfields: { n: '{{len tags}}' } });
    expect(out.output_fields['n']).toBe('5');
    expect(out.tags).toContain('prod');
  });

  it('refuse a Handlebars syntax error at load, naming the key', () => {
    expect(configProblems({ templatedfields: { good: '{{rule}}', broken: '{{#if rule}}x' } })).toEqual([
      { path: 'templatedfields.broken', message: expect.stringContaining('Handlebars template does not compile') },
    ]);
  });

  it('refuse an unknown helper at load', () => {
    const problems = configProblems({ templatedfields: { f: '{{shout rule}}' } });
    expect(problems[0]?.path).toBe('templatedfields.f');
    expect(problems[0]?.message).toContain('unknown helper shout');
  });

  it('list every bad template in one ConfigError', () => {
    const problems = configProblems({
      templatedfields: { a: '{{ range .Tags }}{{ . }}{{ end }}', b: '{{ if .x }}', c: '{{ $x := .Rule }}{{ $x }}', ok: '{{ .Rule }}' },
    });
    expect(problems.map((p) => p.path)).toEqual(['templatedfields.a', 'templatedfields.b', 'templatedfields.c']);
    expect(problems[0]?.message).toContain('range loops are not supported');
    expect(problems[1]?.message).toContain('never closed: add {{ end }}');
    expect(problems[2]?.message).toContain('variables ($x :=) are not supported');
  });

  it('store an empty string and report the error when rendering fails at run time', () => {
    const errors: [string, unknown][] = [];
    const enricher = buildEnricher(
      { ...EMPTY, templatedfields: { size: '{{len (lookup output_fields "missing")}}', rule: '{{rule}}' } },
      { onTemplateError: (key, error) => errors.push([key, error]) },
    );
    const out = enricher(k8sAlert());
    expect(out.output_fields['size']).toBe('');
    expect(out.output_fields['rule']).toBe('Terminal shell in container');
    enricher(k8sAlert());
    expect(errors.map(([key]) => key)).toEqual(['size', 'size']);
    expect(String(errors[0]?.[1])).toContain('len: len of nil pointer');
  });

  it('never throw at run time, even without a callback or with one that throws', () => {
    const config = { ...EMPTY, templatedfields: { size: '{{len fd}}' } };
    expect(buildEnricher(config)(k8sAlert()).output_fields['size']).toBe('');
    const throwing = buildEnricher(config, {
      onTemplateError: () => {
        throw new Error('metrics down');
      },
    });
    expect(throwing(k8sAlert()).output_fields['size']).toBe('');
  });
});

describe('the enricher', () => {
  it('returns a new alert and leaves the frozen input as it was', () => {
    const alert = k8sAlert();
    const before = JSON.stringify(alert);
    const out = enrich(
      {
        customfields: { environment: 'production' },
        customtags: ['prod'],
        templatedfields: { score: '{{ if eq .Priority "Warning" }}5{{ end }}' },
        bracketreplacer: '_',
      },
      alert,
    );
    expect(Object.isFrozen(alert) && Object.isFrozen(alert.output_fields)).toBe(true);
    expect(JSON.stringify(alert)).toBe(before);
    expect(out).not.toBe(alert);
    expect(out.output_fields['score']).toBe('5');
    expect(out.rule).toBe(alert.rule);
    expect(Object.keys(out)).toEqual(Object.keys(alert));
  });

  it('loads the example values file from the reference', () => {
    const out = enrich({
      customfields: { environment: 'production', cluster_name: 'us-east-1-prod', team: 'platform', data_classification: 'internal' },
      templatedfields: { severity_score: '{{ if eq .Priority "Critical" }}10{{ else if eq .Priority "Warning" }}5{{ else }}1{{ end }}' },
    });
    expect(out.output_fields).toMatchObject({ environment: 'production', team: 'platform', severity_score: '5' });
  });
});

describe('printf in Handlebars templates (Peregrine\'s own: plain values, not Go\'s)', () => {
  it('prints a number with %s and a big integer with %d, as before Go\'s rules were followed for Go templates', () => {
    const alert = k8sAlert({}, { 'proc.pid': 4242, 'evt.time': JSON.rawJSON('1700000000167531875'), flag: true });
    const out = enrich(
      {
        templatedfields: {
          pid: '{{printf "%s" (lookup output_fields "proc.pid")}}',
          both: '{{printf "%s/%s" rule (lookup output_fields "proc.pid")}}',
          ns: '{{printf "%d" (lookup output_fields "evt.time")}}',
          padded: '{{printf "%05d" (lookup output_fields "proc.pid")}}',
          flag: '{{printf "%s" (lookup output_fields "flag")}}',
        },
      },
      alert,
    );
    expect(out.output_fields).toMatchObject({ pid: '4242', both: `${alert.rule}/4242`, ns: '1700000000167531875', padded: '04242', flag: 'true' });
  });

  it('a Go template keeps Go\'s rules: %s of a number field is Go\'s text for a json.Number, %d of it an error', () => {
    const out = enrich({ templatedfields: { s: '{{ printf "%s" (index . "proc.pid") }}', d: '{{ printf "%d" (index . "proc.pid") }}' } }, k8sAlert({}, { 'proc.pid': 4242 }));
    expect(out.output_fields).toMatchObject({ s: '4242', d: '%!d(json.Number=4242)' });
  });
});
