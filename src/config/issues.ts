// zod reports a value that fits no branch of a union as one `invalid_union` issue. When the input's
// shape picks one branch (an object for the block branch, a list for the list branch), the
// branch's own issues say what is wrong, with their paths: this swaps them in, recursively.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** A branch the input does not even have the shape of fails at its root with a type or union error. */
const wrongShape = (issues: readonly Issue[]) => issues.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_union'));

export function flattenUnionIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const fitting = issue.errors.filter((branch) => !wrongShape(branch));
    if (fitting.length !== 1) return [issue];
    return flattenUnionIssues(fitting[0] as Issue[]).map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }) as Issue);
  });
}
