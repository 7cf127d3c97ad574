// The `match:` syntax: which alerts an output takes (and, later, which alerts a silence mutes).
// One block's conditions must all hold (AND); a list of blocks holds when any block does (OR).
// The schema checks shape, operators, regexes and priority ranges so that config loading reports
// each mistake with its path (outputs.soc-pager.match.priority); compile.ts turns it into a test.
import { z } from 'zod';
import { parsePriorityExpr } from './priority-expr.ts';
import { patternProblem } from './pattern.ts';

// A refinement that makes sense only once the keys are known good (no second message for one mistake).
const onlyIfValid = (payload: { issues: readonly unknown[] }) => payload.issues.length === 0;

const PATTERN_HELP = 'exact value, glob (* and ?) or /regex/';

const pattern = z.string().superRefine((text, ctx) => {
  const problem = patternProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const patterns = (what: string) =>
  z
    .union([pattern, z.array(pattern).min(1, 'must list at least one pattern')], { error: `must be a string or a list of strings (${PATTERN_HELP})` })
    .describe(`${what}: one ${PATTERN_HELP}, or a list (any of them).`);

const priorityExpr = z.string().superRefine((text, ctx) => {
  const parsed = parsePriorityExpr(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

// A field value: strings are patterns; numbers and booleans match the value's text ("1", "true").
const fieldValue = z.union([pattern, z.number(), z.boolean()]);

const FIELD_SHAPE = `a field condition is a value or a list of values (${PATTERN_HELP}; numbers and booleans compare as text), or {exists: true|false}`;
const FieldConditionSchema = z
  .union([fieldValue, z.array(fieldValue).min(1), z.strictObject(
      { exists: z.boolean({ error: 'exists must be true or false' }).optional().describe('true: the field is present and not null; false: absent or null.') },
      { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field operator ${iss.keys.map((k) => `"${k}"`).join(', ')}; ${FIELD_SHAPE}` : undefined) },
    ).refine((c) => c.exists !== undefined, { message: FIELD_SHAPE, when: onlyIfValid }),
  ], {
    error: FIELD_SHAPE,
  })
  .describe(FIELD_SHAPE);

const TAG_OPERATORS = ['any', 'all', 'none'] as const;
const tagList = z.array(pattern).min(1, 'must list at least one tag');
const TagsSchema = z
  .union(
    [
      tagList,
      z
        .strictObject(
          {
            any: tagList.optional().describe('At least one of these tags is present.'),
            all: tagList.optional().describe('Every one of these tags is present.'),
            none: tagList.optional().describe('None of these tags is present.'),
          },
          { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown tags operator ${iss.keys.map((k) => `"${k}"`).join(', ')}; use ${TAG_OPERATORS.join(', ')}` : undefined) },
        )
        .refine((t) => TAG_OPERATORS.some((k) => t[k] !== undefined), { message: `give at least one of ${TAG_OPERATORS.join(', ')}`, when: onlyIfValid }),
    ],
    { error: `tags is a list of tags (any of them) or {any|all|none: [tags]} (${PATTERN_HELP})` },
  )
  .describe(`Rule tags: a list (any of them), or {any: […], all: […], none: […]} (each given must hold). Tags are ${PATTERN_HELP}.`);

const conditionShape = {
  priority: z
    .union([priorityExpr, z.array(priorityExpr).min(1)], { error: 'priority is a string such as ">=critical" or a list of them' })
    .optional()
    .describe('Priority: "critical" (exactly), ">=critical", ">warning", "<=notice", "<error", "!=debug", or a range "notice..error"; any case, Info = Informational. A list: any of them.'),
  rule: patterns('Rule name').optional(),
  source: patterns('Event source (syscall, k8s_audit, …)').optional(),
  hostname: patterns('Hostname that sent the alert (absent never matches)').optional(),
  output: patterns('The Falco output line (a /regex/ finds text anywhere in it)').optional(),
  tags: TagsSchema.optional(),
  fields: z
    .record(z.string().min(1), FieldConditionSchema)
    .optional()
    .describe('Output fields after enrichment, by name as Falco writes it (k8s.ns.name, proc.aname[2]); each listed field must match. null and absent match nothing but {exists: false}.'),
};

const MATCH_OPERATORS = [...Object.keys(conditionShape), 'not'];

const unknownOperator = (iss: { code?: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `unknown match operator ${(iss.keys ?? []).map((k) => `"${k}"`).join(', ')}; use ${MATCH_OPERATORS.join(', ')}` : undefined;

// `not` takes blocks without their own `not`: one level of negation keeps the JSON Schema free of $refs.
const InnerBlock = z.strictObject(conditionShape, { error: unknownOperator });
const NotSchema = z
  .union([InnerBlock, z.array(InnerBlock).min(1)], { error: 'not is a match block or a list of blocks (without a nested not)' })
  .describe('The alert must NOT match this block (or any block of this list).');

const MatchBlockSchema = z.strictObject({ ...conditionShape, not: NotSchema.optional() }, { error: unknownOperator });

export const MatchSchema = z
  .union([MatchBlockSchema, z.array(MatchBlockSchema).min(1, 'an empty list matches nothing: leave match out to take every alert')], {
    error: 'match is a block of conditions, or a list of blocks (any of them)',
  })
  .describe(
    'Which alerts this output takes (docs/routing.md). All conditions of a block must hold; a list of blocks takes an alert when any block does. Combines with minimumpriority. Env: the YAML/JSON text, e.g. WEBHOOK_MATCH=\'{priority: ">=error"}\'.',
  );

export type MatchBlock = z.output<typeof MatchBlockSchema>;
export type InnerMatchBlock = z.output<typeof InnerBlock>;
export type FieldCondition = z.output<typeof FieldConditionSchema>;
