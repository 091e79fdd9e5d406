import { describe, expect, it } from 'vitest';
import { holderAddr, includedJob, smallNetwork, workerAddr } from '../testing/network.ts';

const ratio1 = { rewardRules: 'ratio1' as const };

describe("Ratio1's owner bans (protocol/README.md, rule 6)", () => {
  it('only the owner bans a registered licence, once; only a banned one is unbanned; ONE refuses both', () => {
    const d = smallNetwork({ params: ratio1 });
    const owner = d.params.governor;
    const w = workerAddr(0);
    expect(d.attempt({ type: 'banLicence', owner: holderAddr(0), worker: w })).toMatchObject({
      code: 'NotGovernor',
    });
    expect(d.attempt({ type: 'banLicence', owner, worker: holderAddr(0) })).toMatchObject({
      code: 'UnknownWorker',
    });
    expect(d.attempt({ type: 'unbanLicence', owner, worker: w })).toMatchObject({
      code: 'LicenceNotBanned',
    });
    expect(d.run({ type: 'banLicence', owner, worker: w })).toContainEqual({
      type: 'LicenceBanned',
      worker: w,
      banned: true,
    });
    expect(d.attempt({ type: 'banLicence', owner, worker: w })).toMatchObject({
      code: 'LicenceBanned',
    });
    expect(d.run({ type: 'unbanLicence', owner, worker: w })).toContainEqual({
      type: 'LicenceBanned',
      worker: w,
      banned: false,
    });
    const one = smallNetwork();
    expect(
      one.attempt({ type: 'banLicence', owner: one.params.governor, worker: w }),
    ).toMatchObject({
      code: 'InvalidAction',
    });
  });

  it('a banned licence takes no job until unbanned', () => {
    const d = smallNetwork({ params: ratio1 });
    const owner = d.params.governor;
    const w = workerAddr(0);
    d.run({ type: 'banLicence', owner, worker: w });
    d.run(includedJob(holderAddr(0), 100n));
    expect(d.run({ type: 'dispatch' })).toEqual([]);
    expect(d.state.jobs.get(1)!.status).toBe('queued');
    d.run({ type: 'unbanLicence', owner, worker: w });
    expect(d.run({ type: 'dispatch' })).toContainEqual(
      expect.objectContaining({ type: 'JobDispatched', jobId: 1, worker: w }),
    );
  });
});
