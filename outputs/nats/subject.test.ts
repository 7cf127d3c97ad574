import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/plugin/index.ts';
import { DEFAULT_SUBJECT } from './options.ts';
import { subjectOf } from './subject.ts';

const alert = (rule: string, priority = 'Warning') => ({ rule, priority }) as Alert;

describe('subjectOf', () => {
  // Each row was published by falcosidekick 2.34.1 and by Peregrine to one nats-server, same subjects.
  it.each([
    ['Terminal shell in container', 'falco.warning.terminal_shell_in_container'],
    ['Write below /etc (user=root)', 'falco.warning.write_below_etc_user_root'],
    ['--Ünïcode rule--', 'falco.warning.n_code_rule'],
    ['x.y*z>w', 'falco.warning.x_y_z_w'],
    ['  spaced  ', 'falco.warning.spaced'],
    ['K8s: Secret GET', 'falco.warning.k8s_secret_get'],
    ['UPPER_lower_123', 'falco.warning.upper_lower_123'],
    ['İstanbul ǅ ß', 'falco.warning.istanbul'],
    ['日本語 rule', 'falco.warning.rule'],
    ['___', 'falco.warning.'],
  ])('%s → %s', (rule, subject) => {
    expect(subjectOf(DEFAULT_SUBJECT, alert(rule))).toBe(subject);
  });

  it('every <priority> and <rule> replaced, anywhere in the template; the priority in lower case', () => {
    expect(subjectOf('<rule>.x.<priority>.<rule>.<priority>', alert('A b', 'Informational'))).toBe('a_b.x.informational.a_b.informational');
    expect(subjectOf('fixed.subject', alert('A'))).toBe('fixed.subject');
  });
});
