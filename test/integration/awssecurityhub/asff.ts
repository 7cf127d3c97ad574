// The ASFF fields BatchImportFindings requires, asserted by the awssecurityhub tests themselves:
// moto stores findings without validating them.
import { expect } from 'vitest';

/** Every field BatchImportFindings requires, with its documented shape. */
export function expectRequiredAsff(f: Record<string, unknown>): void {
  expect(f.SchemaVersion).toBe('2018-10-08');
  expect(f.Id).toEqual(expect.stringMatching(/^\S.{0,511}$/s));
  expect(f.ProductArn).toMatch(/^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/);
  expect(f.GeneratorId).toEqual(expect.stringMatching(/^falco\//));
  expect(String(f.GeneratorId).length).toBeLessThanOrEqual(512);
  expect(f.AwsAccountId).toMatch(/^\d{12}$/);
  expect(Array.isArray(f.Types) && f.Types.length >= 1 && f.Types.length <= 50).toBe(true);
  for (const t of f.Types as string[]) expect(t).toMatch(/^(Software and Configuration Checks|TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)\/[^/]+/);
  for (const k of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt']) expect(f[k]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/);
  expect(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain((f.Severity as { Label: string }).Label);
  expect(String(f.Title).length).toBeGreaterThan(0);
  expect(String(f.Title).length).toBeLessThanOrEqual(256);
  expect(String(f.Description)).toMatch(/\S/);
  expect(String(f.Description).length).toBeLessThanOrEqual(1024);
  const resources = f.Resources as { Type: string; Id: string }[];
  expect(resources.length).toBeGreaterThan(0);
  for (const r of resources) {
    expect(r.Type).toMatch(/^(Container|Other)$/);
    expect(r.Id.length).toBeGreaterThan(0);
  }
}
