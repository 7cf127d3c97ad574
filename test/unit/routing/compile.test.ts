import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { ConfigError } from '../../../src/errors.ts';
import { compileMatch } from '../../../src/routing/compile.ts';
import { fixtureText } from '../../support/fixtures.ts';

// The shared fixture: Notice, rule "Terminal shell in container", source syscall, hostname node-1,
// tags [T1059, container, mitre_execution, shell], evt.time a big integer, proc.aname[2] null.
const base = parseJson(fixtureText('alerts/falco-shell.json')) as AlertInput;
const make = (over: Partial<AlertInput> = {}, fields: Record<string, unknown> = {}): Alert =>
  freezeAlert(toAlert({ ...base, ...over, output_fields: { ...base.output_fields, ...fields } }, () => 'id'));
const shell = make();

function problems(spec: unknown): string[] {
  try {
    compileMatch(spec, { path: ['outputs', 'soc-pager', 'match'] });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('compileMatch: priority', () => {
  it.each([
    ['notice', 'Notice', true],
    ['notice', 'Warning', false],
    ['NOTICE', 'Notice', true],
    ['>=warning', 'Notice', false],
    ['>=warning', 'Warning', true],
    ['>=Warning', 'Emergency', true],
    ['>warning', 'Warning', false],
    ['>warning', 'Error', true],
    ['<=notice', 'Notice', true],
    ['<=notice', 'Warning', false],
    ['<notice', 'Notice', false],
    ['<notice', 'Informational', true],
    ['=critical', 'Critical', true],
    ['==critical', 'Alert', false],
    ['!=debug', 'Debug', false],
    ['!=debug', 'Informational', true],
    ['notice..error', 'Informational', false],
    ['notice..error', 'Notice', true],
    ['notice..error', 'Error', true],
    ['Notice..ERROR', 'Critical', false],
    ['info', 'Informational', true],
    ['>= info', 'Informational', true],
    ['debug..info', 'Informational', true],
  ])('%s on %s → %s', (expr, priority, expected) => {
    const alert = make({ priority });
    expect(compileMatch({ priority: expr }).test(alert)).toBe(expected);
  });

  it('accepts a list (any of them) and explains with the verb of the operator', () => {
    const m = compileMatch({ priority: ['debug', '>=critical'] });
    expect(m.test(make({ priority: 'Debug' }))).toBe(true);
    expect(m.test(make({ priority: 'Emergency' }))).toBe(true);
    expect(m.explain(shell)).toBe('priority Notice matches none of ["debug", ">=critical"]');
    expect(compileMatch({ priority: '>=critical' }).explain(make({ priority: 'Warning' }))).toBe('priority Warning is below >=critical');
    expect(compileMatch({ priority: '<=notice' }).explain(make({ priority: 'Error' }))).toBe('priority Error is above <=notice');
    expect(compileMatch({ priority: 'notice..error' }).explain(make({ priority: 'Debug' }))).toBe('priority Debug is outside notice..error');
    expect(compileMatch({ priority: 'critical' }).explain(shell)).toBe('priority Notice is not critical');
  });

  it('rejects unknown operators, unknown names and ranges that match nothing, with the path', () => {
    expect(problems({ priority: '=>critical' })).toEqual(['outputs.soc-pager.match.priority: unknown operator "=>" in "=>critical"; use one of >= > <= < = == !=, or a range notice..error']);
    expect(problems({ priority: '>=critcal' })[0]).toMatch(/^outputs\.soc-pager\.match\.priority: "critcal" in ">=critcal" is not a Falco priority; use one of Debug, /);
    expect(problems({ priority: 'error..notice' })).toEqual(['outputs.soc-pager.match.priority: "error..notice" matches no priority: the range is reversed; write notice..error']);
    expect(problems({ priority: '>emergency' })).toEqual(['outputs.soc-pager.match.priority: ">emergency" matches no priority (nothing is above Emergency)']);
    expect(problems({ priority: '<debug' })).toEqual(['outputs.soc-pager.match.priority: "<debug" matches no priority (nothing is below Debug)']);
    expect(problems({ priority: ['>=error', 'loud'] })[0]).toMatch(/^outputs\.soc-pager\.match\.priority\.1: "loud" in "loud" is not a Falco priority/);
  });
});

describe('compileMatch: rule, source, hostname, output (exact, glob, /regex/)', () => {
  it('matches exact names, and only whole names', () => {
    expect(compileMatch({ rule: 'Terminal shell in container' }).test(shell)).toBe(true);
    expect(compileMatch({ rule: 'Terminal shell' }).test(shell)).toBe(false);
    expect(compileMatch({ rule: 'terminal shell in container' }).test(shell)).toBe(false);
    expect(compileMatch({ rule: ['Other', 'Terminal shell in container'] }).test(shell)).toBe(true);
  });

  it('regexes search as written: anchors, flags, special characters', () => {
    expect(compileMatch({ rule: '/shell/' }).test(shell)).toBe(true);
    expect(compileMatch({ rule: '/^shell/' }).test(shell)).toBe(false);
    expect(compileMatch({ rule: '/^Terminal/' }).test(shell)).toBe(true);
    expect(compileMatch({ rule: '/container$/' }).test(shell)).toBe(true);
    expect(compileMatch({ rule: '/^terminal SHELL/i' }).test(shell)).toBe(true);
    expect(compileMatch({ output: '/user=root container=[0-9a-f]{12}/' }).test(shell)).toBe(true);
    expect(compileMatch({ rule: '/^Drop and execute/' }).test(make({ rule: 'Drop and execute new binary in container' }))).toBe(true);
  });

  it('globs cover the whole value; * and ? also match themselves', () => {
    expect(compileMatch({ hostname: 'node-*' }).test(shell)).toBe(true);
    expect(compileMatch({ hostname: 'node-?' }).test(shell)).toBe(true);
    expect(compileMatch({ hostname: 'node-??' }).test(shell)).toBe(false);
    expect(compileMatch({ hostname: 'ode-*' }).test(shell)).toBe(false);
    expect(compileMatch({ hostname: 'node.*' }).test(make({ hostname: 'nodeX1' }))).toBe(false); // "." is literal in a glob
    expect(compileMatch({ rule: 'What?' }).test(make({ rule: 'What?' }))).toBe(true);
    expect(compileMatch({ hostname: 'team-?-db' }).test(make({ hostname: 'team-\u{1F600}-db' }))).toBe(true); // ? is one character, an emoji too
  });

  it('source defaults to syscalls as in falcosidekick; a missing hostname matches nothing', () => {
    expect(compileMatch({ source: ['syscall', 'k8s_audit'] }).test(shell)).toBe(true);
    expect(compileMatch({ source: 'syscalls' }).test(make({ source: undefined }))).toBe(true);
    const noHost = make({ hostname: undefined });
    expect(compileMatch({ hostname: '*' }).test(noHost)).toBe(false);
    expect(compileMatch({ hostname: '*' }).explain(noHost)).toBe('hostname is absent (wanted ["*"])');
  });

  it('explains the value and the patterns', () => {
    expect(compileMatch({ rule: ['Other', '/^Drop/'] }).explain(shell)).toBe('rule "Terminal shell in container" matches none of ["Other", /^Drop/]');
  });

  it('rejects invalid regexes and stateful flags, with the path of the item', () => {
    expect(problems({ rule: ['ok', '/(unclosed/'] })).toEqual(['outputs.soc-pager.match.rule.1: invalid regex /(unclosed/: Unterminated group']);
    expect(problems({ rule: '/x/g' })).toEqual(['outputs.soc-pager.match.rule: invalid regex /x/g: flags may only be i, m, s, u (g and y would make matching stateful)']);
    expect(problems({ rule: [] })).toEqual(['outputs.soc-pager.match.rule: must list at least one pattern']);
    expect(problems({ rule: 42 })).toEqual(['outputs.soc-pager.match.rule: must be a string or a list of strings (exact value, glob (* and ?) or /regex/)']);
  });
});

describe('compileMatch: tags', () => {
  it('a list is any; any, all and none combine', () => {
    expect(compileMatch({ tags: ['mitre_execution', 'nope'] }).test(shell)).toBe(true);
    expect(compileMatch({ tags: { any: ['nope', 'T1059'] } }).test(shell)).toBe(true);
    expect(compileMatch({ tags: { any: ['nope'] } }).explain(shell)).toBe('tags [T1059, container, mitre_execution, shell] include none of ["nope"]');
    expect(compileMatch({ tags: { all: ['T1059', 'shell'] } }).test(shell)).toBe(true);
    expect(compileMatch({ tags: { all: ['T1059', 'network'] } }).explain(shell)).toBe('tags [T1059, container, mitre_execution, shell] lack "network" (all of ["T1059", "network"] are required)');
    expect(compileMatch({ tags: { none: ['network'] } }).test(shell)).toBe(true);
    expect(compileMatch({ tags: { none: ['mitre_*'] } }).explain(shell)).toBe('tags [T1059, container, mitre_execution, shell] include "mitre_execution" (none of ["mitre_*"] may be present)');
    expect(compileMatch({ tags: { any: ['/^T10/'], none: ['k8s'] } }).test(shell)).toBe(true);
    expect(compileMatch({ tags: ['x'] }).test(make({ tags: [] }))).toBe(false);
  });

  it('rejects unknown tag operators and empty blocks', () => {
    expect(problems({ tags: { some: ['x'] } })).toEqual(['outputs.soc-pager.match.tags: unknown tags operator "some"; use any, all, none']);
    expect(problems({ tags: {} })).toEqual(['outputs.soc-pager.match.tags: give at least one of any, all, none']);
    expect(problems({ tags: 'shell' })).toEqual(['outputs.soc-pager.match.tags: tags is a list of tags (any of them) or {any|all|none: [tags]} (exact value, glob (* and ?) or /regex/)']);
  });
});

describe('compileMatch: fields', () => {
  it('dotted and bracketed names are plain keys of output_fields', () => {
    expect(compileMatch({ fields: { 'k8s.ns.name': ['prod-*', 'default'] } }).test(shell)).toBe(true);
    expect(compileMatch({ fields: { 'k8s.ns.name': 'prod-*' } }).explain(shell)).toBe('field k8s.ns.name "default" matches none of ["prod-*"]');
    const withAname = make({}, { 'proc.aname[2]': 'containerd-shim' });
    expect(compileMatch({ fields: { 'proc.aname[2]': 'containerd*' } }).test(withAname)).toBe(true);
  });

  it('after bracketreplacer, a bracketed name is looked up as the enriched alert has it', () => {
    const replaced = make({}, { 'proc.aname_2': 'runc' });
    expect(compileMatch({ fields: { 'proc.aname[2]': 'runc' } }, { bracketreplacer: '_' }).test(replaced)).toBe(true);
    expect(compileMatch({ fields: { 'proc.aname_2': 'runc' } }, { bracketreplacer: '_' }).test(replaced)).toBe(true);
    expect(compileMatch({ fields: { 'proc.aname[2]': 'runc' } }).test(replaced)).toBe(false);
  });

  it('null and absent match no value; exists tells them from present values', () => {
    expect(compileMatch({ fields: { 'proc.aname[2]': '*' } }).test(shell)).toBe(false);
    expect(compileMatch({ fields: { 'proc.aname[2]': '*' } }).explain(shell)).toBe('field proc.aname[2] is null (wanted ["*"])');
    expect(compileMatch({ fields: { 'no.such': '*' } }).explain(shell)).toBe('field no.such is absent (wanted ["*"])');
    expect(compileMatch({ fields: { 'proc.aname[2]': { exists: false } } }).test(shell)).toBe(true);
    expect(compileMatch({ fields: { 'no.such': { exists: false } } }).test(shell)).toBe(true);
    expect(compileMatch({ fields: { 'proc.aname[2]': { exists: true } } }).explain(shell)).toBe('field proc.aname[2] is null (exists: true)');
    expect(compileMatch({ fields: { 'container.id': { exists: true } } }).test(shell)).toBe(true);
    expect(compileMatch({ fields: { 'container.id': { exists: false } } }).explain(shell)).toBe('field container.id is present ("1f0a2e5c8d3b"; exists: false)');
  });

  it('a field named like an Object method is a field of the alert or absent, never the method', () => {
    const parsed = toAlert(parseJson('{"rule":"r","priority":"Notice","time":"2026-11-20T10:00:00Z","output_fields":{"a":1}}') as AlertInput);
    for (const name of ['constructor', 'hasOwnProperty', 'toString']) {
      expect(compileMatch({ fields: { [name]: { exists: true } } }).test(parsed), name).toBe(false);
      expect(compileMatch({ fields: { [name]: { exists: false } } }).test(parsed), name).toBe(true);
      expect(compileMatch({ fields: { [name]: '*' } }).test(parsed), name).toBe(false);
    }
  });

  it('numbers, big integers and booleans compare as their text', () => {
    const alert = make({}, { 'proc.pid': 4242, 'evt.is_open_write': true, 'fd.num': 0 });
    expect(JSON.isRawJSON(alert.output_fields['evt.time'])).toBe(true);
    expect(compileMatch({ fields: { 'evt.time': Number('1700000000167531875') } }).test(alert)).toBe(false); // a JS number is rounded: write the digits as text
    expect(compileMatch({ fields: { 'evt.time': '1700000000167531875' } }).test(alert)).toBe(true);
    expect(compileMatch({ fields: { 'evt.time': '17000000001675318*' } }).test(alert)).toBe(true);
    expect(compileMatch({ fields: { 'proc.pid': [1, 4242] } }).test(alert)).toBe(true);
    expect(compileMatch({ fields: { 'proc.pid': '/^42/' } }).test(alert)).toBe(true);
    expect(compileMatch({ fields: { 'evt.is_open_write': true } }).test(alert)).toBe(true);
    expect(compileMatch({ fields: { 'evt.is_open_write': 'false' } }).test(alert)).toBe(false);
    expect(compileMatch({ fields: { 'fd.num': 0 } }).test(alert)).toBe(true);
  });

  it('every listed field must match', () => {
    const m = compileMatch({ fields: { 'k8s.ns.name': 'default', 'user.name': 'root' } });
    expect(m.test(shell)).toBe(true);
    expect(m.explain(make({}, { 'user.name': 'app' }))).toBe('field user.name "app" matches none of ["root"]');
  });

  it('rejects field conditions of the wrong shape', () => {
    const shape =
      'a field condition is a value or a list of values (exact value, glob (* and ?) or /regex/; numbers and booleans compare as text), or {exists: true|false}';
    expect(problems({ fields: { 'k8s.ns.name': { exist: true } } })).toEqual([`outputs.soc-pager.match.fields.k8s.ns.name: unknown field operator "exist"; ${shape}`]);
    expect(problems({ fields: { 'k8s.ns.name': { regex: 'x' } } })).toEqual([`outputs.soc-pager.match.fields.k8s.ns.name: unknown field operator "regex"; ${shape}`]);
    expect(problems({ fields: { 'k8s.ns.name': {} } })).toEqual([`outputs.soc-pager.match.fields.k8s.ns.name: ${shape}`]);
    expect(problems({ fields: { 'k8s.ns.name': { exists: 'yes' } } })).toEqual(['outputs.soc-pager.match.fields.k8s.ns.name.exists: exists must be true or false']);
    expect(problems({ fields: { 'k8s.ns.name': [['nested']] } })[0]).toMatch(/^outputs\.soc-pager\.match\.fields\.k8s\.ns\.name/);
    expect(problems({ fields: { 'k8s.ns.name': null } })).toEqual([`outputs.soc-pager.match.fields.k8s.ns.name: ${shape}`]);
    expect(problems({ fields: ['k8s.ns.name'] })[0]).toMatch(/^outputs\.soc-pager\.match\.fields: /);
  });
});

describe('compileMatch: blocks, OR lists, not', () => {
  it('all conditions of a block hold (AND); explain names the first that fails', () => {
    const m = compileMatch({ priority: '>=notice', rule: 'Terminal shell in container', hostname: 'node-*', fields: { 'k8s.ns.name': 'prod' } });
    expect(m.test(shell)).toBe(false);
    expect(m.explain(shell)).toBe('field k8s.ns.name "default" matches none of ["prod"]');
    expect(m.explain(make({ priority: 'Debug' }))).toBe('priority Debug is below >=notice');
    expect(m.explain(make({}, { 'k8s.ns.name': 'prod' }))).toBeUndefined();
  });

  it('a list of blocks holds when any block does (OR)', () => {
    const m = compileMatch([{ priority: '>=critical' }, { fields: { 'k8s.ns.name': 'default' }, rule: '/shell/' }]);
    expect(m.test(shell)).toBe(true);
    expect(m.test(make({ priority: 'Critical' }, { 'k8s.ns.name': 'x' }))).toBe(true);
    const miss = make({}, { 'k8s.ns.name': 'x' });
    expect(m.test(miss)).toBe(false);
    expect(m.explain(miss)).toBe('no match block holds: [1] priority Notice is below >=critical; [2] field k8s.ns.name "x" matches none of ["default"]');
  });

  it('not excludes what its block (or any block of its list) matches', () => {
    const m = compileMatch({ source: 'syscall', not: { rule: ['Contact K8S API Server From Container'] } });
    expect(m.test(shell)).toBe(true);
    const k8s = make({ rule: 'Contact K8S API Server From Container' });
    expect(m.test(k8s)).toBe(false);
    expect(m.explain(k8s)).toBe('not: rule "Contact K8S API Server From Container" matches ["Contact K8S API Server From Container"]');
    const two = compileMatch({ not: [{ priority: 'debug' }, { hostname: 'node-1', tags: ['shell'] }] });
    expect(two.test(shell)).toBe(false);
    expect(two.explain(shell)).toBe('not: hostname "node-1" matches ["node-1"] and tags [T1059, container, mitre_execution, shell] include one of ["shell"]');
    expect(two.test(make({ hostname: 'node-2' }))).toBe(true);
  });

  it('the example of issue #20 compiles and takes exactly what it says', () => {
    const m = compileMatch({
      priority: '>=critical',
      rule: ['Terminal shell in container', '/^Drop and execute/'],
      tags: { any: ['mitre_execution', 'T1059'] },
      source: ['syscall', 'k8s_audit'],
      hostname: ['node-*'],
      fields: { 'k8s.ns.name': ['prod-*', 'payments'], 'container.image.repository': { exists: true } },
      not: { rule: ['Contact K8S API Server From Container'] },
    });
    const hit = make({ priority: 'critical' }, { 'k8s.ns.name': 'prod-eu', 'container.image.repository': 'nginx' });
    expect(m.explain(hit)).toBeUndefined();
    expect(m.explain(make({ priority: 'Critical' }, { 'k8s.ns.name': 'payments' }))).toBe('field container.image.repository is absent (exists: true)');
  });

  it('rejects unknown operators (even nested in not) and a nested not', () => {
    expect(problems({ prio: '>=critical' })).toEqual([
      'outputs.soc-pager.match: unknown match operator "prio"; use priority, rule, source, hostname, output, tags, fields, not',
    ]);
    expect(problems([{ rule: 'x' }, { rules: 'x' }])).toEqual([
      'outputs.soc-pager.match.1: unknown match operator "rules"; use priority, rule, source, hostname, output, tags, fields, not',
    ]);
    expect(problems({ not: { not: { rule: 'x' } } })[0]).toMatch(/^outputs\.soc-pager\.match\.not: /);
    expect(problems([])).toEqual(['outputs.soc-pager.match: an empty list matches nothing: leave match out to take every alert']);
  });

  it('no match takes every alert; an empty block too', () => {
    expect(compileMatch(undefined).test(shell)).toBe(true);
    expect(compileMatch({}).test(shell)).toBe(true);
  });
});
