// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ProtocolBase} from "./ProtocolBase.sol";

/// Bulk reads for the live driver's projection: a few calls return the whole state it compares.
/// A contract of its own (EIP-170: OneProtocol with them is over 24 KB), deployed by OneProtocol
/// with the same immutables and reached through its fallback by delegatecall, so these run on
/// OneProtocol's storage (shared layout: ProtocolState). Views only: nothing here writes.
contract OneProtocolViews is ProtocolBase {
    struct Globals {
        uint256 treasuryMicroUsdc;
        uint256 settlementPoolMicroUsdc;
        uint256 dayPlus1;
        uint256 settledEpochsPlus1;
        uint256 nextReservationId;
        uint256 nextProposalId;
        uint256 firstUnreleasedDay;
        uint256 usdcHeldMicroUsdc;
        uint256 oneHeldWei;
        uint256 nowMs;
    }

    struct HolderView {
        uint256 stakedOneWei;
        uint256 snapshotOneWei;
        uint256 allotmentCu;
        Unbonding[] unbonding;
    }

    struct PayoutView {
        bool posted;
        bytes32 root;
        uint256 unclaimedMicroUsdc;
        bool[] claimed;
    }

    constructor(
        IERC20 one_,
        IERC20 usdc_,
        uint256 genesisTimestamp_,
        address settler_,
        address operator_,
        uint256[43] memory params_
    ) ProtocolBase(one_, usdc_, genesisTimestamp_, settler_, operator_, params_) {}

    function globals() external view returns (Globals memory g) {
        g.treasuryMicroUsdc = treasuryMicroUsdc;
        g.settlementPoolMicroUsdc = settlementPoolMicroUsdc;
        g.dayPlus1 = dayPlus1;
        g.settledEpochsPlus1 = settledEpochsPlus1;
        g.nextReservationId = nextReservationId;
        g.nextProposalId = nextProposalId;
        g.firstUnreleasedDay = firstUnreleasedDay;
        g.usdcHeldMicroUsdc = usdc.balanceOf(address(this));
        g.oneHeldWei = one.balanceOf(address(this));
        g.nowMs = block.timestamp >= genesisTimestamp ? _nowMs() : 0;
    }

    function getParams() external view returns (uint256[43] memory) {
        return params;
    }

    function balancesOf(address[] calldata accounts) external view returns (uint256[] memory usdcs, uint256[] memory ones) {
        usdcs = new uint256[](accounts.length);
        ones = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; i++) {
            usdcs[i] = usdc.balanceOf(accounts[i]);
            ones[i] = one.balanceOf(accounts[i]);
        }
    }

    function holderViews(address[] calldata hs) external view returns (HolderView[] memory out) {
        out = new HolderView[](hs.length);
        for (uint256 i = 0; i < hs.length; i++) {
            Holder storage h = holders[hs[i]];
            out[i] = HolderView(h.stakedOneWei, _snapshotOf(h), _allotmentCu(hs[i]), h.unbonding);
        }
    }

    function oracleViews(address[] calldata os) external view returns (bool[] memory out) {
        out = new bool[](os.length);
        for (uint256 i = 0; i < os.length; i++) out[i] = oracleActive[os[i]];
    }

    function workerViews(address[] calldata ws) external view returns (Worker[] memory out) {
        out = new Worker[](ws.length);
        for (uint256 i = 0; i < ws.length; i++) out[i] = workers[ws[i]];
    }

    /// Every reservation ever made, index i holding id i + 1 (the caller drops paid-out ones).
    function reservationViews() external view returns (Reservation[] memory out) {
        out = new Reservation[](nextReservationId - 1);
        for (uint256 i = 0; i < out.length; i++) out[i] = reservations[i + 1];
    }

    /// Days still holding an earmark, from `firstUnreleasedDay` on.
    function dayBudgetViews() external view returns (DayBudget[] memory out) {
        out = new DayBudget[](dayPlus1 - firstUnreleasedDay);
        for (uint256 i = 0; i < out.length; i++) out[i] = dayBudgets[firstUnreleasedDay + i];
    }

    function payoutViews(uint256[] calldata epochs, address[] calldata ws) external view returns (PayoutView[] memory out) {
        out = new PayoutView[](epochs.length);
        for (uint256 i = 0; i < epochs.length; i++) {
            EpochPayout storage s = payouts[epochs[i]];
            bool[] memory c = new bool[](ws.length);
            for (uint256 j = 0; j < ws.length; j++) c[j] = claimed[epochs[i]][ws[j]];
            out[i] = PayoutView(s.posted, s.root, s.unclaimedMicroUsdc, c);
        }
    }

    /// Every proposal id ever queued, index i holding id i + 1 (`queued` false once gone).
    function proposalViews() external view returns (Proposal[] memory out) {
        out = new Proposal[](nextProposalId - 1);
        for (uint256 i = 0; i < out.length; i++) out[i] = proposals[i + 1];
    }

    /// Open audits by job id (for the live driver's projection): committee and vote count.
    function auditViews(uint256[] calldata jobIds)
        external
        view
        returns (bool[] memory open, address[][] memory committees, uint256[] memory votes)
    {
        open = new bool[](jobIds.length);
        committees = new address[][](jobIds.length);
        votes = new uint256[](jobIds.length);
        for (uint256 i = 0; i < jobIds.length; i++) {
            Audit storage a = audits[jobIds[i]];
            open[i] = a.open;
            committees[i] = a.committee;
            votes[i] = a.votes.length;
        }
    }
}
