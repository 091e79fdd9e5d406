import type { Command } from 'commander';
import { z } from 'zod';
import { loggedActionSchema, toJsonText } from '../../protocol/actionSchema.ts';
import {
  type Action,
  checkStateInvariants,
  createActor,
  createSecp256k1Verifier,
  createState,
  resolveParams,
  simVerifier,
  stateHash,
} from '../../protocol/index.ts';
import { paramsInputSchema } from '../../sim/scenario/paramsInputSchema.ts';
import { readJsonFile } from '../../sim/validate/parseJsonFile.ts';
import { findUnknownKeys, unknownKeyField } from '../../sim/validate/unknownKeys.ts';
import { fieldIssues } from '../../sim/validate/zodIssues.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { gitCommit } from '../gitCommit.ts';
import { summarizeState } from '../stateSummary.ts';

const actionFileSchema = z.object({
  params: paramsInputSchema.optional(),
  actions: z.array(loggedActionSchema),
});

/**
 * Reads and validates an action file; errors name the file, the field path and the problem.
 * Strict: a key no action or parameter has (`acount`, `params.takeRat`) is an error naming the
 * closest valid key, as in scenario files.
 */
export function readActionFile(path: string) {
  const data: unknown = readJsonFile(path);
  const unknown = findUnknownKeys(actionFileSchema, data);
  if (unknown.length > 0) {
    const field = unknownKeyField(unknown[0]!);
    throw new UsageError(`${path}: ${field}: ${unknown[0]!.message}`, field);
  }
  const parsed = actionFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = fieldIssues(parsed.error.issues, data)[0]!;
    throw new UsageError(`${path}: ${issue.field}: ${issue.message}`, issue.field);
  }
  return { params: resolveParams(parsed.data.params), actions: parsed.data.actions };
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description(
      'Apply a JSON file of timed protocol actions to a fresh state and print the result',
    )
    .argument(
      '<file>',
      'JSON: { "params"?: {...}, "actions": [{ "atMs": 0, "action": {...} }] }; amounts as decimal strings',
    )
    .option(
      '--verifier <kind>',
      'receipt signatures: sim (cheap, not secure) or secp256k1',
      'secp256k1',
    )
    .option('--strict', 'exit 1 when any action is rejected')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action((file: string, o: { verifier: string; strict?: boolean; json?: boolean }) => {
      if (o.verifier !== 'sim' && o.verifier !== 'secp256k1')
        throw new UsageError(
          `--verifier=${JSON.stringify(o.verifier)} must be sim or secp256k1`,
          '--verifier',
        );
      const { params, actions } = readActionFile(file);
      const verifier = o.verifier === 'sim' ? simVerifier : createSecp256k1Verifier();
      const state = createState(params);
      const actor = createActor({ state, env: { verifier } });
      const rejections: Array<{ index: number; type: string; code: string; message: string }> = [];
      actions.forEach(({ atMs, action }, index) => {
        const r = actor.act(action as Action, atMs);
        if (!r.ok) rejections.push({ index, type: action.type, code: r.code, message: r.message });
      });
      const violations = checkStateInvariants(state);
      const summary = summarizeState(state);
      const result = {
        file,
        commit: gitCommit(),
        params,
        actions: actions.length,
        accepted: actions.length - rejections.length,
        rejections,
        invariants: violations,
        stateHash: stateHash(state),
        summary,
      };
      if (!o.json) {
        console.log(
          `applied ${actions.length} actions from ${file}: ${result.accepted} accepted, ${rejections.length} rejected`,
        );
        for (const r of rejections) console.log(`  #${r.index} ${r.type}: ${r.code}: ${r.message}`);
        for (const [k, v] of Object.entries(summary)) console.log(`  ${k.padEnd(22)} ${v}`);
        console.log(
          `  ${'invariants'.padEnd(22)} ${violations.length === 0 ? 'all hold' : violations.map((v) => `${v.invariant}: ${v.message}`).join('; ')}`,
        );
        console.log(`  ${'state hash'.padEnd(22)} ${result.stateHash}`);
      } else console.log(toJsonText(result));
      const failed = violations.length > 0 || (o.strict === true && rejections.length > 0);
      process.exitCode = failed ? exitCodes.checkFailed : exitCodes.ok;
    });
}
