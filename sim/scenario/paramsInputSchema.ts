import { z } from 'zod';
import { type ParamsInput, paramsSchema } from '../../protocol/index.ts';
import { findUnknownKeys } from '../validate/unknownKeys.ts';

/**
 * Protocol parameter overrides as written (scenario `params`, an action file's `params`): typed
 * as the protocol's input, validated by its schema (defaults are not filled in, so files and
 * summaries keep what the user wrote), and strict: `takeRat` names `takeRate`.
 */
export const paramsInputSchema = z.custom<ParamsInput>().superRefine((value, ctx) => {
  for (const u of findUnknownKeys(paramsSchema, value))
    ctx.addIssue({ code: 'custom', path: [...u.path, u.key], message: u.message });
  const checked = paramsSchema.safeParse(value);
  if (!checked.success)
    for (const i of checked.error.issues)
      ctx.addIssue({ code: 'custom', path: i.path as PropertyKey[], message: i.message });
});
