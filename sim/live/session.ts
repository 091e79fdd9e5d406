import { type BuildResult, buildContracts } from '../../protocol/contracts/build.ts';
import type { Params } from '../../protocol/params.ts';
import { AddressBook, type KeySource } from './accounts.ts';
import { deployProtocol } from './deploy.ts';
import { createLiveDriver, type LiveDriver } from './liveDriver.ts';
import type { Rpc } from './rpc.ts';

export interface LiveSession {
  driver: LiveDriver;
  book: AddressBook;
  deployment: Awaited<ReturnType<typeof deployProtocol>>;
}

export interface OpenLiveSessionParameters {
  rpc: Rpc;
  params: Params;
  keys?: KeySource;
  /** Compiled contracts (a mutated build in tests); default: the cached build of src/. */
  build?: BuildResult;
  txsPerBlockMax?: number;
}

/** Deploys fresh contracts for `params` and returns a driver bound to them. */
export async function openLiveSession(p: OpenLiveSessionParameters): Promise<LiveSession> {
  const chainId = Number(await p.rpc.call<string>('eth_chainId'));
  const book = new AddressBook(p.keys ?? { kind: 'anvil' }, chainId);
  const build = p.build ?? buildContracts();
  const deployment = await deployProtocol({ rpc: p.rpc, book, build, params: p.params });
  const driver = createLiveDriver({
    rpc: p.rpc,
    deployment,
    book,
    params: p.params,
    chainId,
    txsPerBlockMax: p.txsPerBlockMax,
  });
  return { driver, book, deployment };
}
