// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// Every storage variable of the protocol, and nothing else: OneProtocol and OneProtocolViews
/// (which OneProtocol reaches by delegatecall) both start from it, so its slots are the same in
/// both (slot 0 on: it is the first base of each). Keep storage here: the views cannot see a
/// module's own variables, and a base with storage placed before this one would shift them.
abstract contract ProtocolState {
    // ---- Parameters (Params.sol ids) and the treasury

    uint256[43] internal params;
    uint256 public treasuryMicroUsdc;
    /// Net payouts posted and not yet claimed.
    uint256 public settlementPoolMicroUsdc;

    // ---- Staking.sol

    struct Unbonding {
        uint256 amountOneWei;
        uint256 releaseAtMs;
    }

    struct Holder {
        bool known;
        /// The credit day (+1) whose start `snapshotOneWei` records; older means "= staked".
        uint256 snapDayPlus1;
        uint256 stakedOneWei;
        uint256 snapshotOneWei;
        Unbonding[] unbonding;
    }

    mapping(address => Holder) internal holders;
    /// Every address that ever staked, in order: the holders `startDay` snapshots.
    address[] internal holderList;
    /// The last started credit day + 1 (0 before day 0).
    uint256 public dayPlus1;

    // ---- DayBudgets.sol

    struct DayBudget {
        uint256 budgetMicroUsdc;
        uint256 earmarkedMicroUsdc;
        uint256 paidMicroUsdc;
        uint256 allottedCu;
        uint256 priceMicroUsdcPerCu;
        uint256 sigmaNum;
        uint256 sigmaDen;
        /// The settlement epoch after which no receipt of this day can remain unpaid.
        uint256 releaseEpoch;
    }

    /// The current day's allotment terms (A, T, σ), kept apart from its budget (which a
    /// settlement may release) so each holder's allotment can be read back exactly.
    struct AllotmentTerms {
        uint256 creditsPerThresholdCu;
        uint256 stakeThresholdOneWei;
        uint256 sigmaNum;
        uint256 sigmaDen;
    }

    mapping(uint256 => DayBudget) internal dayBudgets;
    /// Days in [firstUnreleasedDay, dayPlus1) still hold an earmark.
    uint256 public firstUnreleasedDay;
    AllotmentTerms internal terms;

    // ---- Reservations.sol

    struct Reservation {
        address sponsor;
        bool anyModel;
        bool ended;
        bytes32 model;
        uint256 rateCuPerSec;
        uint256 startAtMs;
        uint256 endAtMs;
        uint256 priceMicroUsdcPerCu;
        uint256 reservedCu;
        uint256 escrowMicroUsdc;
        /// Gross paid to workers from this escrow so far (settled receipts).
        uint256 settledMicroUsdc;
    }

    mapping(uint256 => Reservation) internal reservations;
    uint256 public nextReservationId = 1;

    // ---- Registry.sol

    enum Status {
        None,
        Active,
        Exiting,
        Exited
    }

    struct Worker {
        Status status;
        bool online;
        bool jailed;
        uint256 slots;
        uint256 capacityCuPerSec;
        uint256 bondMicroUsdc;
        /// When an exiting worker may withdraw its bond; slashable until then.
        uint256 bondReleaseAtMs;
        uint256 jailedUntilMs;
        bytes32 identityHash;
        uint256 attestationExpiresAtMs;
        bytes32[] models;
    }

    mapping(address => Worker) internal workers;

    // ---- Audits.sol

    struct Vote {
        address oracle;
        bool mismatch;
    }

    struct Audit {
        bool open;
        uint256 epoch;
        address worker;
        bytes32 resultHash;
        address[] committee;
        Vote[] votes;
    }

    mapping(address => bool) public oracleActive;
    uint256 public activeOracles;
    /// Open audits by job id.
    mapping(uint256 => Audit) internal audits;
    mapping(uint256 => uint256[]) internal auditsByEpoch;
    uint256 public openAuditCount;

    // ---- Settlement.sol

    struct EpochPayout {
        bool posted;
        bytes32 root;
        uint256 unclaimedMicroUsdc;
    }

    mapping(uint256 => EpochPayout) internal payouts;
    mapping(uint256 => mapping(address => bool)) public claimed;
    /// The last settled epoch + 1 (0 before the first settlement).
    uint256 public settledEpochsPlus1;

    // ---- Governance.sol

    struct Change {
        uint256 id;
        uint256 value;
    }

    struct Proposal {
        bool queued;
        uint256 etaMs;
        Change[] changes;
    }

    mapping(uint256 => Proposal) internal proposals;
    uint256 public nextProposalId = 1;
}
