import type { Address, Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { InfrastructureError } from '../infrastructureError.ts';
import { anvilMnemonic } from './anvil.ts';
import { createTxSigner, type TxSigner } from './txSigner.ts';

/** Where keys come from: Anvil's public development mnemonic, or an explicit key file. */
export type KeySource = { kind: 'anvil' } | { kind: 'keys'; privateKeys: Hex[] };

export const roleNames = ['deployer', 'keeper', 'settler', 'operator'] as const;
export type RoleName = (typeof roleNames)[number];

export class KeysExhaustedError extends InfrastructureError {
  override name = 'KeysExhaustedError';
  constructor(readonly needed: number) {
    super(`the key source holds fewer than ${needed} keys (one per role and actor of the run)`);
  }
}

/** Derivation is slow (~20 ms a key): keys of the Anvil mnemonic are derived once per process. */
const anvilKeys = new Map<number, Hex>();
/** The i-th key of Anvil's public development mnemonic (development chains only). */
export function anvilKey(index: number): Hex {
  let key = anvilKeys.get(index);
  if (!key) {
    const hd = mnemonicToAccount(anvilMnemonic, { addressIndex: index }).getHdKey();
    key = `0x${Buffer.from(hd.privateKey!).toString('hex')}`;
    anvilKeys.set(index, key);
  }
  return key;
}

export interface ChainAccount {
  address: Address;
  signer: TxSigner;
  /** For EIP-712 signatures (attestations, receipts) in the contract's domain. */
  privateKey: Hex;
}

/**
 * Model addresses are names (0x…0001); each gets a chain account with a key, in order of first
 * use: keys 0–3 are the roles, 4 on the actors. Chain → model lookups go the other way.
 */
export class AddressBook {
  readonly #source: KeySource;
  readonly #chainId: number;
  readonly #roles = new Map<RoleName, ChainAccount>();
  readonly #actors = new Map<Address, ChainAccount>();
  readonly #models = new Map<Address, Address>();

  constructor(source: KeySource, chainId: number) {
    this.#source = source;
    this.#chainId = chainId;
  }

  #account(index: number): ChainAccount {
    const key = this.#source.kind === 'anvil' ? anvilKey(index) : this.#source.privateKeys[index];
    if (!key) throw new KeysExhaustedError(index + 1);
    const signer = createTxSigner(key, this.#chainId);
    return { address: signer.address, signer, privateKey: key };
  }

  role(name: RoleName): ChainAccount {
    let a = this.#roles.get(name);
    if (!a) {
      a = this.#account(roleNames.indexOf(name));
      this.#roles.set(name, a);
    }
    return a;
  }

  /**
   * Makes a key's own address a model address standing for itself (model = chain address), for
   * runs with real signatures. Returns the address; throws if it is already in use.
   */
  pin(privateKey: Hex): Address {
    const signer = createTxSigner(privateKey, this.#chainId);
    const address = signer.address;
    if (this.#actors.has(address) || this.#models.has(address))
      throw new Error(`assertion: ${address} is already in the address book`);
    this.#actors.set(address, { address, signer, privateKey });
    this.#models.set(address, address);
    return address;
  }

  /** The chain account standing for a model address (assigned on first use). */
  actor(model: Address): ChainAccount {
    let a = this.#actors.get(model);
    if (!a) {
      a = this.#account(roleNames.length + this.#actors.size);
      if (this.#models.has(a.address))
        throw new Error(`assertion: key of ${a.address} is pinned to another model address`);
      this.#actors.set(model, a);
      this.#models.set(a.address, model);
    }
    return a;
  }

  chainOf = (model: Address): Address => this.actor(model).address;

  modelOf(chain: Address): Address | undefined {
    return this.#models.get(chain.toLowerCase() as Address);
  }

  /** Model addresses seen so far, in order of first use. */
  actors(): Address[] {
    return [...this.#actors.keys()];
  }
}
