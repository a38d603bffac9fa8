import { z } from 'zod';
import { value64 } from '../scenario/schema.js';

/**
 * The lesson format (.briefs/lesson-format.md, documented in docs/lessons.md). Checks are kept
 * as raw mappings here and parsed by parse-check.ts, which gives each kind its own message.
 */

/** Lesson and step ids: safe as file names and easy to type. */
export const ID_TEXT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const text = z.string().trim().min(1, 'expected some text');

/** A small integer written as a YAML integer (the loader reads integers as BigInt). */
export const smallInt = (max: number) =>
  z.union([z.bigint(), z.number().int()]).transform((v) => Number(v)).pipe(z.number().int().min(0).max(max));

const step = z
  .object({
    id: z.string().regex(ID_TEXT, 'step ids are letters, digits, _ . - (no spaces)'),
    task: text,
    check: z.record(z.string(), z.unknown(), 'expected a check mapping such as {command: k}'),
    hints: z.array(text).min(1, 'give at least one hint (the last may give the command away)'),
    explanation: text,
  })
  .strict();

const solutionEntry = z.union([
  text,
  z.object({ answer: z.union([text, z.bigint(), z.number()]).transform((v) => String(v)) }).strict(),
]);

/** The whole lesson file; `check` values are validated by parse-check.ts. */
export const lessonSchema = z
  .object({
    lesson: z.string().regex(ID_TEXT, 'lesson ids are letters, digits, _ . - (the file name without .yaml)'),
    title: text,
    scenario: text,
    level: z.enum(['beginner', 'intermediate', 'advanced']),
    introduction: text,
    steps: z.array(step).min(1, 'a lesson needs at least one step'),
    solution: z.array(solutionEntry).min(1, 'give the reference solution: the commands and answers that pass every step'),
  })
  .strict();

/** The raw lesson as the schema leaves it. */
export type RawLesson = z.infer<typeof lessonSchema>;

/** Leaf check kinds, each a strict mapping. */
export const checkSchemas = {
  command: z
    .object({
      command: z.string().min(1),
      processor: smallInt(63).optional(),
      options: z.string().regex(/^[A-Za-z]+$/, 'options are the letters typed after the command name, e.g. v').optional(),
      address: value64.optional(),
    })
    .strict(),
  scope: z
    .object({
      scope: z.union([
        z.literal('none'),
        z.object({ kind: z.enum(['trap', 'cxr']), address: value64 }).strict(),
      ]),
    })
    .strict(),
  processor: z.object({ processor: smallInt(63) }).strict(),
  answer: z
    .object({
      answer: z
        .object({ values: z.array(value64).default([]), patterns: z.array(z.string().min(1)).default([]) })
        .strict()
        .refine((a) => a.values.length + a.patterns.length > 0, 'an answer check needs values or patterns'),
    })
    .strict(),
  all: z.object({ all: z.array(z.unknown()).min(1, 'all: needs at least one check') }).strict(),
  any: z.object({ any: z.array(z.unknown()).min(1, 'any: needs at least one check') }).strict(),
} as const;

/** The kinds a check object may have, in the order messages list them. */
export const CHECK_KINDS = ['command', 'scope', 'processor', 'answer', 'all', 'any'] as const;
