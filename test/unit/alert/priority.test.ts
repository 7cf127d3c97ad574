import { describe, expect, it } from 'vitest';
import { parsePriority, PRIORITIES, PRIORITY_PATTERN, priorityRank } from '../../../src/alert/priority.ts';

describe('priority', () => {
  it('parses every Falco priority in any case, and the Info alias', () => {
    for (const p of PRIORITIES) {
      expect(parsePriority(p)).toBe(p);
      expect(parsePriority(p.toUpperCase())).toBe(p);
      expect(parsePriority(p.toLowerCase())).toBe(p);
    }
    expect(parsePriority('info')).toBe('Informational');
    expect(parsePriority('INFO')).toBe('Informational');
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'Urgent', 'warn', 'Critical ', 'debugging']) expect(parsePriority(bad)).toBeUndefined();
  });

  it('ranks from Debug (lowest) to Emergency (highest)', () => {
    expect(priorityRank('Debug')).toBe(0);
    expect(priorityRank('Emergency')).toBe(7);
    expect(priorityRank('Warning')).toBeGreaterThan(priorityRank('Notice'));
  });

  it('has a flag-free pattern that matches exactly the accepted spellings', () => {
    const re = new RegExp(PRIORITY_PATTERN);
    expect(re.test('cRiTiCaL')).toBe(true);
    expect(re.test('Info')).toBe(true);
    expect(re.test('Urgent')).toBe(false);
    expect(re.test('xCritical')).toBe(false);
  });
});
