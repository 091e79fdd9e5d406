import { type Abi, type Address, encodeDeployData, getContractAddress, type Hex } from 'viem';
import type { BuildResult } from '../../protocol/contracts/build.ts';
import { encodeParams } from '../../protocol/contracts/paramCodec.ts';
import type { Params } from '../../protocol/params.ts';
import type { AddressBook } from './accounts.ts';
import { type Rpc, RpcError } from './rpc.ts';

export interface Deployment {
  protocol: Address;
  one: Address;
  usdc: Address;
  /** Block timestamp (s) of model time 0: modelMs = (block.timestamp − genesis) · 1000. */
  genesisTimestampSec: number;
  abis: { protocol: Abi; token: Abi };
}

export interface RpcReceipt {
  transactionHash: Hex;
  status: Hex;
  gasUsed: Hex;
  contractAddress: Address | null;
}

export interface RpcBlock {
  number: Hex;
  timestamp: Hex;
}

/**
 * Deploys $ONE, test USDC and OneProtocol in one block, from the deployer role; model time 0
 * is the second after that block. Roles: the settler and operator keys of the address book;
 * the governor is the chain account of `params.governor`.
 */
export async function deployProtocol(p: {
  rpc: Rpc;
  book: AddressBook;
  build: BuildResult;
  params: Params;
}): Promise<Deployment> {
  const { rpc, book, build } = p;
  const deployer = book.role('deployer');
  const latest = await rpc.call<RpcBlock>('eth_getBlockByNumber', ['latest', false]);
  const deployAtSec = Number(latest.timestamp) + 1;
  const genesisTimestampSec = deployAtSec + 1;
  let nonce = Number(await rpc.call<Hex>('eth_getTransactionCount', [deployer.address, 'pending']));
  const tokenAbi = build.contracts.OneToken.abi as Abi;
  const protocolAbi = build.contracts.OneProtocol.abi as Abi;
  const one = getContractAddress({
    from: deployer.address,
    nonce: BigInt(nonce),
  }).toLowerCase() as Address;
  const usdc = getContractAddress({
    from: deployer.address,
    nonce: BigInt(nonce + 1),
  }).toLowerCase() as Address;
  const protocolData = encodeDeployData({
    abi: protocolAbi,
    bytecode: build.contracts.OneProtocol.bytecode,
    args: [
      one,
      usdc,
      BigInt(genesisTimestampSec),
      book.role('settler').address,
      book.role('operator').address,
      encodeParams(p.params, book.chainOf),
    ],
  });
  const raws = [
    build.contracts.OneToken.bytecode,
    build.contracts.TestUsdc.bytecode,
    protocolData,
  ].map((data) => deployer.signer.sign({ nonce: nonce++, data, gas: 30_000_000n }));
  for (const raw of raws) await rpc.call('eth_sendRawTransaction', [raw]);
  await rpc.call('evm_mine', [{ timestamp: deployAtSec }]);
  const receipts = await rpc.call<RpcReceipt[]>('eth_getBlockReceipts', ['latest']);
  if (receipts.length !== 3 || receipts.some((r) => r.status !== '0x1'))
    throw new RpcError(
      'deploy',
      `deployment failed: ${JSON.stringify(receipts.map((r) => r.status))}`,
    );
  const protocol = receipts[2]!.contractAddress!.toLowerCase() as Address;
  return {
    protocol,
    one,
    usdc,
    genesisTimestampSec,
    abis: { protocol: protocolAbi, token: tokenAbi },
  };
}
