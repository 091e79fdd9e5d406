import { toJsonText } from '../protocol/actionSchema.ts';
import {
  createSecp256k1Signer,
  createSecp256k1Verifier,
  Lane,
  ONE,
  signAttestation,
  USDC,
} from '../protocol/index.ts';
import { createDriver } from '../protocol/testing/driver.ts';
import { hash32, modelId } from '../protocol/testing/fixtures.ts';

/**
 * Builds examples/basic-actions.json: one holder, one sponsor, one worker with a real secp256k1
 * key (Anvil's second test account, never a real key), a day of jobs in both lanes, settlement
 * and a claim. `npx onesim apply examples/basic-actions.json` replays it.
 */
export function basicActions(): string {
  const signer = createSecp256k1Signer(
    '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  );
  // The KYC attestor is Anvil's third test account, named in the parameters.
  const attestorKey = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
  const attestation = signAttestation(attestorKey, {
    worker: signer.worker,
    identityHash: hash32('example operator'),
    expiresAtMs: 30 * 86_400_000,
  });
  const params = { attestors: [attestation.attestor] };
  const d = createDriver({ verifier: createSecp256k1Verifier(), signerFor: () => signer, params });
  const holder = '0x00000000000000000000000000000000000000b1';
  const sponsor = '0x00000000000000000000000000000000000000c1';
  const model = modelId('example-model');
  d.run({ type: 'deposit', account: sponsor, asset: 'usdc', amount: 20_000n * USDC });
  d.run({ type: 'fundTreasury', from: sponsor, amountMicroUsdc: 9_000n * USDC });
  d.run({ type: 'deposit', account: holder, asset: 'one', amount: 3_000n * ONE });
  d.run({ type: 'stake', holder, amountOneWei: 3_000n * ONE });
  d.run({ type: 'deposit', account: signer.worker, asset: 'usdc', amount: 500n * USDC });
  d.run({
    type: 'registerWorker',
    worker: signer.worker,
    models: [model],
    slots: 2,
    capacityCuPerSec: 500n,
    bondMicroUsdc: 500n * USDC,
    attestation,
  });
  d.run({ type: 'startDay', day: 0 });
  d.run({ type: 'reserve', sponsor, model, rateCuPerSec: 20n, durationMs: 3_600_000 });
  for (let i = 0; i < 3; i++) {
    const t = 60_000 * (i + 1);
    d.at(t).run({
      type: 'submitJob',
      lane: Lane.included,
      requester: holder,
      model,
      units: 1_000n,
      requestHash: hash32(`included ${i}`),
    });
    d.run({
      type: 'submitJob',
      lane: Lane.dedicated,
      requester: sponsor,
      reservationId: 1,
      model,
      units: 150n,
      requestHash: hash32(`dedicated ${i}`),
    });
    const started = d
      .run({ type: 'dispatch' })
      .flatMap((e) => (e.type === 'JobDispatched' ? [e.jobId] : []));
    started.forEach((jobId, k) => {
      d.at(t + 2_000 + k).complete(jobId);
    });
  }
  for (let e = 0; e <= 1; e++) d.at((e + 1) * 21_600_000).run({ type: 'settle', epoch: e });
  d.claimAll(1);
  d.run({ type: 'endReservation', reservationId: 1 });
  return `${toJsonText({ params: { attestors: params.attestors }, actions: d.log }, 1)}\n`;
}
