// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// EIP-712 job receipts (protocol/receipts/eip712.ts), domain {name "ONE", version "1", chainId,
/// this contract}. Receipts settle off chain today; this is where Proof-of-AI disputes will
/// verify a sampled receipt's signature on chain.
abstract contract Receipts is EIP712 {
    struct Receipt {
        uint256 jobId;
        uint8 lane;
        address requester;
        bytes32 model;
        address worker;
        bytes32 requestHash;
        bytes32 resultHash;
        uint64 units;
        uint64 price;
        uint64 finishedAt;
        bytes32 prev;
    }

    bytes32 internal constant RECEIPT_TYPEHASH = keccak256(
        "Receipt(uint256 jobId,uint8 lane,address requester,bytes32 model,address worker,bytes32 requestHash,bytes32 resultHash,uint64 units,uint64 price,uint64 finishedAt,bytes32 prev)"
    );

    constructor() EIP712("ONE", "1") {}

    /// The receipt's id in the model: the EIP-712 digest.
    function receiptDigest(Receipt calldata r) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RECEIPT_TYPEHASH, r)));
    }

    /// The address whose signature `signature` is over the receipt (address(0) when invalid).
    function receiptSigner(Receipt calldata r, bytes calldata signature) external view returns (address) {
        (address signer,,) = ECDSA.tryRecoverCalldata(receiptDigest(r), signature);
        return signer;
    }
}
