import { describe, expect, it } from 'vitest';
import { buildContracts, contractNames } from '../../protocol/contracts/build.ts';

// EIP-170 (deployed code) and EIP-3860 (init code): what a real chain and Anvil's defaults accept.
const codeSizeMax = 24_576;
const initCodeSizeMax = 2 * codeSizeMax;

describe('the contracts fit a real chain', () => {
  it('each deploys under EIP-170 and EIP-3860 (OneProtocol creates OneProtocolViews in its constructor)', () => {
    const build = buildContracts();
    for (const name of contractNames) {
      const c = build.contracts[name];
      expect(c.deployedSizeBytes, `${name} deployed code`).toBeLessThanOrEqual(codeSizeMax);
      expect((c.bytecode.length - 2) / 2, `${name} init code`).toBeLessThanOrEqual(initCodeSizeMax);
    }
  });

  it("OneProtocol's ABI holds the views its fallback forwards", () => {
    const abi = buildContracts().contracts.OneProtocol.abi as Array<{
      type: string;
      name?: string;
    }>;
    const functions = new Set(abi.filter((x) => x.type === 'function').map((x) => x.name));
    for (const view of ['globals', 'holderViews', 'workerViews', 'auditViews', 'proposalViews'])
      expect(functions).toContain(view);
  });
});
