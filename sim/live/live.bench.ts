import { performance } from 'node:perf_hooks';
import { type Abi, createWalletClient, encodeFunctionData, http } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import type { Action } from '../../protocol/actions.ts';
import { buildContracts } from '../../protocol/contracts/build.ts';
import { addr } from '../../protocol/testing/fixtures.ts';
import { ONE } from '../../protocol/units.ts';
import { anvilMnemonic, startAnvil } from './anvil.ts';
import { randomLiveActions, randomLiveParams, type TimedAction } from './randomActions.ts';
import { createRpc } from './rpc.ts';
import { runLive } from './runLive.ts';
import { openLiveSession } from './session.ts';

const days = Number(process.env.ONESIM_LIVE_DAYS ?? 10);
const seed = Number(process.env.ONESIM_LIVE_SEED ?? 11);
const checkEvery = Number(process.env.ONESIM_LIVE_CHECK_EVERY ?? 100);

/** Model + contracts side by side on a local Anvil: actions/s with checking on, gas per type. */
export default async function liveBench(): Promise<void> {
  buildContracts(); // compile (or load) outside the timed part
  const params = randomLiveParams(seed);
  const r = await runLive({
    params,
    seed,
    checkEvery,
    clockMs: () => performance.now(),
    actions: (state) => randomLiveActions({ seed, days, state }),
  });
  if (!r.ok) throw new Error(`divergence: ${JSON.stringify(r.divergence)}`);
  const s = r.stats;
  console.log(
    `random scenario, ${days} days, seed ${seed}, projection check every ${checkEvery} actions`,
  );
  console.log(
    `  ${r.actions} actions (${s.onChain} on chain, ${s.offChain} off chain) → ${s.transactions} transactions in ${s.blocks} blocks, ${s.checks} checks`,
  );
  console.log(
    `  ${Math.round(r.actionsPerSec)} actions/s, ${Math.round((s.onChain * 1000) / r.elapsedMs)} on-chain actions/s (${(r.elapsedMs / 1000).toFixed(2)} s)`,
  );
  console.log('  gas per accepted transaction (mean):');
  for (const g of r.gasPerType)
    console.log(`    ${g.type.padEnd(16)} ${String(g.gasMean).padStart(8)}  (${g.count} tx)`);
  const dense = await runLive({
    params,
    checkEvery,
    clockMs: () => performance.now(),
    actions: denseOnChainActions(20_000),
  });
  if (!dense.ok) throw new Error(`divergence: ${JSON.stringify(dense.divergence)}`);
  console.log(
    `dense on-chain stream (deposit/stake/unstake/withdraw by 40 holders, 200 actions per simulated second)`,
  );
  console.log(
    `  ${dense.actions} actions → ${dense.stats.transactions} transactions in ${dense.stats.blocks} blocks, ${dense.stats.checks} checks: ${Math.round(dense.actionsPerSec)} actions/s (${(dense.elapsedMs / 1000).toFixed(2)} s)`,
  );
  console.log(
    `  naive baseline, one viem writeContract per transaction with automine: ${Math.round(await naiveTxPerSec())} tx/s`,
  );
  console.log(
    `reproduce: ONESIM_LIVE_DAYS=${days} ONESIM_LIVE_SEED=${seed} ONESIM_LIVE_CHECK_EVERY=${checkEvery} npm run bench -- live.bench`,
  );
}

/** Every action on chain, many per block: the driver's ceiling when blocks are full. */
function* denseOnChainActions(count: number): Generator<TimedAction> {
  const holders = Array.from({ length: 40 }, (_, i) => addr(i, 6));
  for (let i = 0; i < count; i++) {
    const holder = holders[i % holders.length]!;
    const atMs = Math.floor(i / 200) * 1000;
    const round = Math.floor(i / holders.length) % 4;
    const action: Action =
      round === 0
        ? { type: 'deposit', account: holder, asset: 'one', amount: 10n * ONE }
        : round === 1
          ? { type: 'stake', holder, amountOneWei: 6n * ONE }
          : round === 2
            ? { type: 'unstake', holder, amountOneWei: 2n * ONE }
            : { type: 'withdraw', account: holder, asset: 'one', amount: 3n * ONE };
    yield { atMs, action };
  }
}

/** What one-transaction-at-a-time viem calls manage on the same Anvil (deposits, mined each). */
async function naiveTxPerSec(count = 300): Promise<number> {
  const anvil = await startAnvil();
  const rpc = createRpc(anvil.url);
  try {
    const { deployment } = await openLiveSession({ rpc, params: randomLiveParams(seed) });
    await rpc.call('evm_setAutomine', [true]);
    const account = mnemonicToAccount(anvilMnemonic, { addressIndex: 9 });
    const wallet = createWalletClient({ account, chain: foundry, transport: http(anvil.url) });
    const data = encodeFunctionData({
      abi: deployment.abis.token as Abi,
      functionName: 'mint',
      args: [account.address, 1n],
    });
    const started = performance.now();
    for (let i = 0; i < count; i++)
      await wallet.sendTransaction({ to: deployment.usdc, data, gasPrice: 0n });
    return (count * 1000) / (performance.now() - started);
  } finally {
    rpc.close();
    await anvil.stop();
  }
}
