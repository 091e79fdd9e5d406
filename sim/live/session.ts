import { type BuildResult, buildContracts } from '../../protocol/contracts/build.ts';
import type { Params } from '../../protocol/params.ts';
import { type ReceiptDomain, receiptDomain } from '../../protocol/receipts/eip712.ts';
import { createSecp256k1Verifier } from '../../protocol/receipts/secp256k1Verifier.ts';
import type { Hex } from '../../protocol/types.ts';
import { AddressBook, type KeySource } from './accounts.ts';
import { deployProtocol } from './deploy.ts';
import { createLiveDriver, type LiveDriver } from './liveDriver.ts';
import type { Rpc } from './rpc.ts';

export interface LiveSession {
  driver: LiveDriver;
  book: AddressBook;
  deployment: Awaited<ReturnType<typeof deployProtocol>>;
  /** The contract's EIP-712 domain {ONE, 1, chainId, OneProtocol}: real signatures use it. */
  domain: ReceiptDomain;
}

export interface OpenLiveSessionParameters {
  rpc: Rpc;
  params: Params;
  keys?: KeySource;
  /** Compiled contracts (a mutated build in tests); default: the cached build of src/. */
  build?: BuildResult;
  txsPerBlockMax?: number;
  /**
   * `sim` (default): the simulator's signatures in the model, re-signed for the chain. `chain`:
   * real EIP-712 signatures in the contract's domain, checked by ecrecover in the model too and
   * sent as they are; every signer must then be pinned (`pinnedKeys`).
   */
  signatures?: 'sim' | 'chain';
  /** Keys whose own addresses are model addresses (model = chain address), pinned before deployment. */
  pinnedKeys?: Hex[];
}

/** Deploys fresh contracts for `params` and returns a driver bound to them. */
export async function openLiveSession(p: OpenLiveSessionParameters): Promise<LiveSession> {
  const chainId = Number(await p.rpc.call<string>('eth_chainId'));
  const book = new AddressBook(p.keys ?? { kind: 'anvil' }, chainId);
  for (const key of p.pinnedKeys ?? []) book.pin(key);
  const build = p.build ?? buildContracts();
  const deployment = await deployProtocol({ rpc: p.rpc, book, build, params: p.params });
  const domain = receiptDomain(chainId, deployment.protocol);
  const driver = createLiveDriver({
    rpc: p.rpc,
    deployment,
    book,
    params: p.params,
    chainId,
    txsPerBlockMax: p.txsPerBlockMax,
    verifier: p.signatures === 'chain' ? createSecp256k1Verifier({ domain }) : undefined,
  });
  return { driver, book, deployment, domain };
}
