// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Audits} from "./Audits.sol";
import {DayBudgets} from "./DayBudgets.sol";
import {Reservations} from "./Reservations.sol";
import {P} from "./Params.sol";
import {
    AlreadyClaimed,
    InvalidProof,
    SettlementMismatch,
    TooEarly,
    UnknownSettlement,
    WrongEpoch
} from "./Rejections.sol";

/// Settlement of epoch e (once it is over) pays the receipts that finished in epoch e − 1. The
/// receipts live off chain: the settler posts, per source (a credit day or a reservation), the
/// units of each receipt, so the chain computes gross = units · price and the take ceil(gross·τ)
/// receipt by receipt, moves them out of the day's earmark or the escrow, and checks that the
/// posted payout root's total is what remains. Workers claim with OpenZeppelin Merkle proofs.
abstract contract Settlement is DayBudgets, Reservations, Audits {
    /// One source of an epoch's receipts: a credit day (Included) or a reservation (Dedicated).
    struct Source {
        bool dedicated;
        uint256 id;
        uint64[] units;
        /// Withheld receipts (Proof-of-AI) of an ended reservation: their gross goes back to the
        /// sponsor. Withheld receipts of other sources are simply left out of `units`.
        uint64[] voidedUnits;
    }

    event EpochSettled(uint256 indexed epoch, bytes32 root, uint256 receipts, uint256 totalMicroUsdc);
    event Claimed(uint256 indexed epoch, address indexed worker, uint256 amountMicroUsdc);

    function settle(
        uint256 epoch,
        bytes32 root,
        uint256 totalNetMicroUsdc,
        Source[] calldata sources,
        AuditPost[] calldata opened
    ) external onlySettler {
        if (epoch != settledEpochsPlus1) revert WrongEpoch(settledEpochsPlus1, epoch);
        uint256 endsAtMs = (epoch + 1) * params[P.SETTLEMENT_EPOCH_MS];
        uint256 nowMs = _nowMs();
        if (nowMs < endsAtMs) revert TooEarly(nowMs, endsAtMs);
        if (epoch > 0) _resolveAudits(epoch - 1);
        (uint256 gross, uint256 take, uint256 receipts) = _paySources(sources);
        if (gross - take != totalNetMicroUsdc) revert SettlementMismatch(0, gross - take, totalNetMicroUsdc);
        treasuryMicroUsdc += take;
        settlementPoolMicroUsdc += totalNetMicroUsdc;
        if (receipts > 0) payouts[epoch] = EpochPayout(true, root, totalNetMicroUsdc);
        settledEpochsPlus1 = epoch + 1;
        _releaseDayBudgets(epoch);
        // Epoch `epoch` is over: its sampled receipts go to their committees.
        _openAudits(epoch, opened);
        emit EpochSettled(epoch, root, receipts, totalNetMicroUsdc);
    }

    /// Anyone may claim for a worker; the payout goes to the worker. Each (epoch, worker) once.
    function claim(uint256 epoch, address worker, uint256 amountMicroUsdc, bytes32[] calldata proof) external {
        EpochPayout storage s = payouts[epoch];
        if (!s.posted) revert UnknownSettlement(epoch);
        if (claimed[epoch][worker]) revert AlreadyClaimed(epoch, worker);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(worker, amountMicroUsdc))));
        if (!MerkleProof.verifyCalldata(proof, s.root, leaf)) revert InvalidProof(epoch, worker, amountMicroUsdc);
        if (amountMicroUsdc > s.unclaimedMicroUsdc) {
            revert SettlementMismatch(1, s.unclaimedMicroUsdc, amountMicroUsdc);
        }
        claimed[epoch][worker] = true;
        s.unclaimedMicroUsdc -= amountMicroUsdc;
        settlementPoolMicroUsdc -= amountMicroUsdc;
        _push(usdc, worker, amountMicroUsdc);
        emit Claimed(epoch, worker, amountMicroUsdc);
    }

    function _paySources(Source[] calldata sources) internal returns (uint256 gross, uint256 take, uint256 receipts) {
        uint256 takeNum = params[P.TAKE_RATE_NUM];
        uint256 takeDen = params[P.TAKE_RATE_DEN];
        for (uint256 i = 0; i < sources.length; i++) {
            Source calldata s = sources[i];
            if (s.voidedUnits.length > 0) _refundVoided(s);
            if (s.units.length == 0) continue;
            (uint256 g, uint256 t) = s.dedicated
                ? _payDedicated(s.id, s.units, takeNum, takeDen)
                : _payIncluded(s.id, s.units, takeNum, takeDen);
            gross += g;
            take += t;
            receipts += s.units.length;
        }
    }

    function _refundVoided(Source calldata s) internal {
        if (!s.dedicated) revert SettlementMismatch(32, s.id, 0);
        Reservation storage r = _liveReservation(s.id);
        if (!r.ended) revert SettlementMismatch(33, s.id, 0);
        uint256 gross = 0;
        for (uint256 i = 0; i < s.voidedUnits.length; i++) gross += uint256(s.voidedUnits[i]) * r.priceMicroUsdcPerCu;
        if (gross > r.escrowMicroUsdc) revert SettlementMismatch(34, r.escrowMicroUsdc, gross);
        r.escrowMicroUsdc -= gross;
        _push(usdc, r.sponsor, gross);
    }

    /// Pays one epoch's Included receipts of a credit day from that day's earmark.
    function _payIncluded(uint256 day, uint64[] calldata units, uint256 takeNum, uint256 takeDen)
        internal
        returns (uint256 gross, uint256 take)
    {
        if (day < firstUnreleasedDay || day >= dayPlus1) revert SettlementMismatch(30, firstUnreleasedDay, day);
        DayBudget storage b = dayBudgets[day];
        (gross, take) = _grossAndTake(units, b.priceMicroUsdcPerCu, takeNum, takeDen);
        if (b.paidMicroUsdc + gross > b.earmarkedMicroUsdc) {
            revert SettlementMismatch(31, b.earmarkedMicroUsdc, b.paidMicroUsdc + gross);
        }
        b.paidMicroUsdc += gross;
    }
}
