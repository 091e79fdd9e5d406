import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { defaultParams, resolveParams } from '../params.ts';
import { rejectionCodes } from '../rejections.ts';
import { buildContracts, repoRoot } from './build.ts';
import {
  encodeChanges,
  encodeParams,
  offChainParams,
  paramIds,
  paramWordCount,
  UnencodableParamError,
  unknownParamId,
} from './paramCodec.ts';

const src = (file: string) =>
  readFileSync(join(repoRoot, 'protocol', 'contracts', 'src', file), 'utf8');
const identity = (a: `0x${string}`) => a;

describe('contracts build', () => {
  it('is cached by a content key and fits the code-size limit Anvil runs with (32 KiB; EIP-170 is 24 KiB)', () => {
    const a = buildContracts();
    const b = buildContracts();
    expect(b.fromCache).toBe(true);
    expect(b.key).toBe(a.key);
    // The verification layer took OneProtocol past EIP-170 (README: split before a real deployment).
    for (const c of Object.values(b.contracts))
      expect(c.deployedSizeBytes).toBeLessThanOrEqual(32_768);
  });

  it('reverts only with errors named like rejection codes, or the documented chain-only ones', () => {
    const chainOnly = ['NotSettler', 'NotOperator', 'SettlementMismatch'];
    const declared = [...src('Rejections.sol').matchAll(/^error (\w+)\(/gm)].map((m) => m[1]!);
    for (const name of declared) expect([...rejectionCodes, ...chainOnly], name).toContain(name);
    const abiErrors = (
      buildContracts().contracts.OneProtocol.abi as Array<{ type: string; name: string }>
    )
      .filter((x) => x.type === 'error')
      .map((x) => x.name);
    // OpenZeppelin's own errors may appear in the ABI, but only for impossible paths (token transfers
    // are checked first, so they never fire).
    const ours = abiErrors.filter(
      (n) =>
        !/^(ERC20|SafeERC20|ECDSA|Address|FailedCall|InvalidShortString|StringTooLong|MerkleProof)/.test(
          n,
        ),
    );
    expect(new Set(ours)).toEqual(new Set(declared));
  });
});

describe('parameter codec', () => {
  it('matches the ids of Params.sol', () => {
    const sol = Object.fromEntries(
      [...src('Params.sol').matchAll(/uint256 internal constant (\w+) = (\d+);/g)].map((m) => [
        m[1]!,
        Number(m[2]),
      ]),
    );
    const snake = (k: string) => k.replace(/([A-Z])/g, '_$1').toUpperCase();
    const aliases: Record<string, string> = {
      STAKE_THRESHOLD_ONE_WEI: 'STAKE_THRESHOLD_ONE_WEI',
      INCLUDED_PRICE_MICRO_USDC_PER_CU: 'INCLUDED_PRICE',
      DEDICATED_PRICE_MICRO_USDC_PER_CU: 'DEDICATED_PRICE',
      INCLUDED_BUDGET_MAX_MICRO_USDC: 'INCLUDED_BUDGET_MAX',
      DEDICATED_FEE: 'DEDICATED_FEE_NUM',
      TAKE_RATE: 'TAKE_RATE_NUM',
      WORKER_BOND_MIN_MICRO_USDC: 'WORKER_BOND_MIN',
      AUDIT_SAMPLE_RATE: 'AUDIT_SAMPLE_NUM',
      SLASH_FRACTION: 'SLASH_NUM',
      BOUNTY_FRACTION: 'BOUNTY_NUM',
      ORACLE_FEE_MICRO_USDC_PER_VERDICT: 'ORACLE_FEE',
      ATTESTORS: 'ATTESTOR_0',
    };
    for (const [name, id] of Object.entries(paramIds))
      expect(sol[aliases[snake(name)] ?? snake(name)], name).toBe(id);
    expect(sol.COUNT).toBe(paramWordCount);
  });

  it('encodes the defaults into 43 words and change sets into (id, value) pairs', () => {
    const words = encodeParams(defaultParams(), identity);
    expect(words).toHaveLength(paramWordCount);
    expect(words[paramIds.takeRate]).toBe(5n);
    expect(words[paramIds.takeRate + 1]).toBe(100n);
    expect(encodeChanges({ takeRate: { num: 1n, den: 10n }, runwayDays: 30 }, identity)).toEqual([
      { id: 12n, value: 1n },
      { id: 13n, value: 10n },
      { id: 9n, value: 30n },
    ]);
    expect(encodeChanges({ noSuchParam: 1 }, identity)).toEqual([
      { id: unknownParamId, value: 0n },
    ]);
    for (const k of offChainParams) expect(encodeChanges({ [k]: 1 }, identity)).toEqual([]);
  });

  it('encodes exactly the contract words: ONE rules named or not, Ratio1 rules refused', () => {
    const one = encodeParams(defaultParams(), identity);
    // 'one' spelled out, and Ratio1's parameters (read only under its rules), change nothing.
    const ratio1Unused = resolveParams({ rewardRules: 'one', ratio1: {} });
    expect(encodeParams(ratio1Unused, identity)).toEqual(one);
    const ratio1 = resolveParams({ rewardRules: 'ratio1' });
    const refusal = (() => {
      try {
        encodeParams(ratio1, identity);
      } catch (e) {
        return e;
      }
    })();
    expect(refusal).toBeInstanceOf(UnencodableParamError);
    expect(refusal).toBeInstanceOf(InputError);
    expect(refusal).toMatchObject({ field: 'params.rewardRules', exitCode: 2 });
    expect((refusal as Error).message).toMatch(/params\.rewardRules = "ratio1"/);
    // A key the contracts do not know is refused too, never written past the 43 words.
    const extra = { ...defaultParams(), somethingNew: 1 } as ReturnType<typeof defaultParams>;
    expect(() => encodeParams(extra, identity)).toThrow(/params\.somethingNew = 1/);
  });
});
