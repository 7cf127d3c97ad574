// Falco priority → ASFF severity, and Falco rule tags → ASFF finding types.
import type { Alert } from '../../src/plugin/index.ts';

type Priority = Alert['priority'];

export type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

const SEVERITY: Record<Priority, SeverityLabel> = {
  Debug: 'INFORMATIONAL',
  Informational: 'INFORMATIONAL',
  Notice: 'LOW',
  Warning: 'MEDIUM',
  Error: 'HIGH',
  Critical: 'CRITICAL',
  Alert: 'CRITICAL',
  Emergency: 'CRITICAL',
};

export function severityLabel(priority: Priority): SeverityLabel {
  return SEVERITY[priority];
}

// Falco tags MITRE ATT&CK tactics as `mitre_<tactic>`. ASFF's TTPs namespace uses the ATT&CK tactic
// names, except that exfiltration lives under Effects ("Effects/Data Exfiltration"). Tactics that the
// ASFF taxonomy has no category for keep their ATT&CK name under TTPs (the namespace is what
// Security Hub validates).
// A Map, not an object literal: a tag is alert content, and a tag named `constructor` or `toString`
// looked up on an object found Object.prototype's function, which went into Types as null and made
// Security Hub refuse the finding.
const TACTICS = new Map<string, string>(Object.entries({
  mitre_reconnaissance: 'TTPs/Reconnaissance',
  mitre_resource_development: 'TTPs/Resource Development',
  mitre_initial_access: 'TTPs/Initial Access',
  mitre_execution: 'TTPs/Execution',
  mitre_persistence: 'TTPs/Persistence',
  mitre_privilege_escalation: 'TTPs/Privilege Escalation',
  mitre_defense_evasion: 'TTPs/Defense Evasion',
  mitre_credential_access: 'TTPs/Credential Access',
  mitre_discovery: 'TTPs/Discovery',
  mitre_lateral_movement: 'TTPs/Lateral Movement',
  mitre_collection: 'TTPs/Collection',
  mitre_command_and_control: 'TTPs/Command and Control',
  mitre_exfiltration: 'Effects/Data Exfiltration',
  mitre_impact: 'TTPs/Impact',
}));

export const DEFAULT_TYPE = 'Software and Configuration Checks/Falco';

/** ASFF `Types` (1-50 items, namespace/category): one per MITRE tactic tag, else the Falco default. */
export function findingTypes(tags: readonly string[]): string[] {
  const types = new Set<string>();
  for (const tag of tags) {
    // Falco writes its tags in lower case with underscores: try the tag as it is before normalising.
    const type = TACTICS.get(tag) ?? TACTICS.get(tag.toLowerCase().replace(/-/g, '_'));
    if (type) types.add(type);
  }
  return types.size > 0 ? [...types].slice(0, 50) : [DEFAULT_TYPE];
}
