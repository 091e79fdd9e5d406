// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ProtocolBase} from "./ProtocolBase.sol";
import {P} from "./Params.sol";
import {
    InvalidReservation,
    ReservationEnded,
    ReservationOpenJobs,
    SettlementMismatch,
    TooEarly,
    UnknownReservation
} from "./Rejections.sol";

/// Dedicated-lane reservations: paid upfront into escrow, fee φ (rounded up) to the treasury.
/// Jobs run off chain, so the chain learns what a reservation delivered only from the operator
/// (at its end) and the settler (each epoch's receipts).
abstract contract Reservations is ProtocolBase {
    event Reserved(uint256 indexed reservationId, address indexed sponsor, uint256 reservedCu, uint256 costMicroUsdc, uint256 feeMicroUsdc);
    event ReservationClosed(uint256 indexed reservationId, uint256 refundedMicroUsdc, uint256 forfeitedMicroUsdc);

    /// `anyModel` stands for the model's `model: null` (every model).
    function reserve(bytes32 model, bool anyModel, uint256 rateCuPerSec, uint256 durationMs, uint256 startAtMs)
        external
    {
        if (rateCuPerSec == 0) revert InvalidReservation(0);
        if (durationMs > P.SAFE_INTEGER_MAX || durationMs % 1000 != 0) revert InvalidReservation(1);
        if (durationMs < params[P.RESERVATION_MIN_MS] || durationMs > params[P.RESERVATION_MAX_MS]) {
            revert InvalidReservation(1);
        }
        if (startAtMs > P.SAFE_INTEGER_MAX || startAtMs < _nowMs()) revert InvalidReservation(2);
        uint256 price = params[P.DEDICATED_PRICE];
        uint256 reservedCu = (rateCuPerSec * durationMs) / 1000;
        uint256 cost = reservedCu * price;
        uint256 fee = _ceilDiv(cost * params[P.DEDICATED_FEE_NUM], params[P.DEDICATED_FEE_DEN]);
        _pull(usdc, msg.sender, cost + fee);
        treasuryMicroUsdc += fee;
        uint256 id = nextReservationId++;
        reservations[id] = Reservation({
            sponsor: msg.sender,
            anyModel: anyModel,
            ended: false,
            model: anyModel ? bytes32(0) : model,
            rateCuPerSec: rateCuPerSec,
            startAtMs: startAtMs,
            endAtMs: startAtMs + durationMs,
            priceMicroUsdcPerCu: price,
            reservedCu: reservedCu,
            escrowMicroUsdc: cost,
            settledMicroUsdc: 0
        });
        emit Reserved(id, msg.sender, reservedCu, cost, fee);
    }

    /// After the window plus the longest deadline and grace: escrow for CU that failed is
    /// refunded, escrow owed for delivered but unsettled receipts stays, the rest goes to the
    /// treasury. The operator supplies the off-chain facts: CU delivered and failed, open jobs.
    function endReservation(uint256 reservationId, uint256 deliveredCu, uint256 failedCu, uint256 openJobs)
        external
        onlyOperator
    {
        Reservation storage r = _liveReservation(reservationId);
        if (r.ended) revert ReservationEnded(reservationId);
        uint256 closesAtMs = r.endAtMs + params[P.JOB_DEADLINE_MAX_MS] + params[P.JOB_GRACE_MS];
        uint256 nowMs = _nowMs();
        if (nowMs < closesAtMs) revert TooEarly(nowMs, closesAtMs);
        if (openJobs > 0) revert ReservationOpenJobs(reservationId, openJobs);
        if (deliveredCu + failedCu > r.reservedCu) revert SettlementMismatch(10, r.reservedCu, deliveredCu + failedCu);
        uint256 delivered = deliveredCu * r.priceMicroUsdcPerCu;
        if (delivered < r.settledMicroUsdc) revert SettlementMismatch(11, r.settledMicroUsdc, delivered);
        uint256 committed = delivered - r.settledMicroUsdc;
        uint256 refunded = failedCu * r.priceMicroUsdcPerCu;
        if (committed + refunded > r.escrowMicroUsdc) {
            revert SettlementMismatch(12, r.escrowMicroUsdc, committed + refunded);
        }
        uint256 forfeited = r.escrowMicroUsdc - committed - refunded;
        r.escrowMicroUsdc = committed;
        r.ended = true;
        treasuryMicroUsdc += forfeited;
        _push(usdc, r.sponsor, refunded);
        emit ReservationClosed(reservationId, refunded, forfeited);
    }

    /// A reservation the model still holds: ended ones leave once their escrow is paid out.
    function _liveReservation(uint256 reservationId) internal view returns (Reservation storage r) {
        r = reservations[reservationId];
        if (r.sponsor == address(0) || (r.ended && r.escrowMicroUsdc == 0)) {
            revert UnknownReservation(reservationId);
        }
    }

    /// Pays one epoch's receipts of a reservation from its escrow; returns gross and take.
    function _payDedicated(uint256 reservationId, uint64[] calldata units, uint256 takeNum, uint256 takeDen)
        internal
        returns (uint256 gross, uint256 take)
    {
        Reservation storage r = _liveReservation(reservationId);
        (gross, take) = _grossAndTake(units, r.priceMicroUsdcPerCu, takeNum, takeDen);
        if (gross > r.escrowMicroUsdc) revert SettlementMismatch(20, r.escrowMicroUsdc, gross);
        r.escrowMicroUsdc -= gross;
        r.settledMicroUsdc += gross;
    }

    /// Σ units·price and Σ ceil(units·price·τ), receipt by receipt as the model rounds.
    function _grossAndTake(uint64[] calldata units, uint256 price, uint256 takeNum, uint256 takeDen)
        internal
        pure
        returns (uint256 gross, uint256 take)
    {
        for (uint256 i = 0; i < units.length; i++) {
            uint256 g = uint256(units[i]) * price;
            gross += g;
            take += _ceilDiv(g * takeNum, takeDen);
        }
    }
}
