// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// Parameter ids: the order of protocol/params.ts, ratios split into numerator and denominator.
/// Every parameter is a uint256 word (the governor an address in the low 160 bits), so that
/// governance changes are (id, value) pairs. protocol/contracts/paramCodec.ts mirrors this table.
library P {
    uint256 internal constant DAY_MS = 0;
    uint256 internal constant SETTLEMENT_EPOCH_MS = 1;
    uint256 internal constant STAKE_THRESHOLD_ONE_WEI = 2;
    uint256 internal constant CREDITS_PER_THRESHOLD_CU = 3;
    /// 0 = linear; the contracts implement only the linear schedule so far.
    uint256 internal constant ALLOTMENT_SCHEDULE = 4;
    uint256 internal constant UNSTAKE_UNBONDING_MS = 5;
    uint256 internal constant INCLUDED_PRICE = 6;
    uint256 internal constant DEDICATED_PRICE = 7;
    uint256 internal constant INCLUDED_BUDGET_MAX = 8;
    uint256 internal constant RUNWAY_DAYS = 9;
    uint256 internal constant DEDICATED_FEE_NUM = 10;
    uint256 internal constant DEDICATED_FEE_DEN = 11;
    uint256 internal constant TAKE_RATE_NUM = 12;
    uint256 internal constant TAKE_RATE_DEN = 13;
    uint256 internal constant DEDICATED_BURST_MS = 14;
    uint256 internal constant RESERVATION_MIN_MS = 15;
    uint256 internal constant RESERVATION_MAX_MS = 16;
    uint256 internal constant JOB_DEADLINE_DEFAULT_MS = 17;
    uint256 internal constant JOB_DEADLINE_MAX_MS = 18;
    uint256 internal constant JOB_GRACE_MS = 19;
    uint256 internal constant WORKER_BOND_MIN = 20;
    uint256 internal constant WORKER_UNBONDING_MS = 21;
    uint256 internal constant WORKER_SLOTS_MAX = 22;
    uint256 internal constant WORKER_MODELS_MAX = 23;
    uint256 internal constant ROUTING_SCAN_MAX = 24;
    uint256 internal constant JOBS_OPEN_MAX = 25;
    uint256 internal constant GOVERNOR = 26;
    uint256 internal constant TIMELOCK_MS = 27;
    // The verification layer (KYC, Proof-of-AI). Availability stays off chain (README).
    /// 0 or 1.
    uint256 internal constant KYC_REQUIRED = 28;
    uint256 internal constant JAIL_MS = 29;
    uint256 internal constant AUDIT_SAMPLE_NUM = 30;
    uint256 internal constant AUDIT_SAMPLE_DEN = 31;
    uint256 internal constant AUDIT_COMMITTEE_SIZE = 32;
    uint256 internal constant AUDIT_QUORUM = 33;
    uint256 internal constant SLASH_NUM = 34;
    uint256 internal constant SLASH_DEN = 35;
    uint256 internal constant BOUNTY_NUM = 36;
    uint256 internal constant BOUNTY_DEN = 37;
    uint256 internal constant ORACLE_FEE = 38;
    /// `attestors`: up to ATTESTORS_MAX addresses, 0 = empty slot.
    uint256 internal constant ATTESTOR_0 = 39;
    uint256 internal constant ATTESTORS_MAX = 4;
    uint256 internal constant COUNT = 43;

    /// JavaScript's Number.MAX_SAFE_INTEGER: the model's integer (non-bigint) parameters.
    uint256 internal constant SAFE_INTEGER_MAX = 2 ** 53 - 1;

    /// The settlement calendar: governance may not change these (params.ts `immutableParams`).
    function isImmutable(uint256 id) internal pure returns (bool) {
        return id == DAY_MS || id == SETTLEMENT_EPOCH_MS || id == JOB_DEADLINE_MAX_MS || id == JOB_GRACE_MS;
    }

    /// A positive safe integer (zod `z.number().int().positive()`).
    function isCount(uint256 id) internal pure returns (bool) {
        return id == DAY_MS || id == SETTLEMENT_EPOCH_MS || id == UNSTAKE_UNBONDING_MS || id == RUNWAY_DAYS
            || (id >= DEDICATED_BURST_MS && id <= JOB_GRACE_MS) || (id >= WORKER_UNBONDING_MS && id <= JOBS_OPEN_MAX)
            || id == TIMELOCK_MS || id == JAIL_MS || id == AUDIT_COMMITTEE_SIZE || id == AUDIT_QUORUM;
    }

    /// The first parameter that breaks a rule of params.ts's schema, or COUNT when all hold.
    function firstInvalid(uint256[43] memory p) internal pure returns (uint256) {
        for (uint256 id = 0; id < COUNT; id++) {
            if (isCount(id) && (p[id] == 0 || p[id] > SAFE_INTEGER_MAX)) return id;
        }
        if (p[ALLOTMENT_SCHEDULE] != 0) return ALLOTMENT_SCHEDULE;
        if (p[DEDICATED_FEE_DEN] == 0 || p[DEDICATED_FEE_NUM] > p[DEDICATED_FEE_DEN]) return DEDICATED_FEE_NUM;
        if (p[TAKE_RATE_DEN] == 0 || p[TAKE_RATE_NUM] > p[TAKE_RATE_DEN]) return TAKE_RATE_NUM;
        if (p[GOVERNOR] >> 160 != 0) return GOVERNOR;
        if (p[KYC_REQUIRED] > 1) return KYC_REQUIRED;
        if (p[AUDIT_SAMPLE_DEN] == 0 || p[AUDIT_SAMPLE_NUM] > p[AUDIT_SAMPLE_DEN]) return AUDIT_SAMPLE_NUM;
        if (p[SLASH_DEN] == 0 || p[SLASH_NUM] > p[SLASH_DEN]) return SLASH_NUM;
        if (p[BOUNTY_DEN] == 0 || p[BOUNTY_NUM] > p[BOUNTY_DEN]) return BOUNTY_NUM;
        for (uint256 i = 0; i < ATTESTORS_MAX; i++) {
            if (p[ATTESTOR_0 + i] >> 160 != 0) return ATTESTOR_0 + i;
        }
        if (p[DAY_MS] % p[SETTLEMENT_EPOCH_MS] != 0) return SETTLEMENT_EPOCH_MS;
        if (p[JOB_DEADLINE_MAX_MS] + p[JOB_GRACE_MS] > p[SETTLEMENT_EPOCH_MS]) return JOB_DEADLINE_MAX_MS;
        if (p[JOB_DEADLINE_DEFAULT_MS] > p[JOB_DEADLINE_MAX_MS]) return JOB_DEADLINE_DEFAULT_MS;
        if (p[STAKE_THRESHOLD_ONE_WEI] == 0) return STAKE_THRESHOLD_ONE_WEI;
        if (p[INCLUDED_PRICE] == 0) return INCLUDED_PRICE;
        if (p[DEDICATED_PRICE] == 0) return DEDICATED_PRICE;
        if (p[RESERVATION_MIN_MS] > p[RESERVATION_MAX_MS]) return RESERVATION_MIN_MS;
        if (p[RESERVATION_MIN_MS] % 1000 != 0) return RESERVATION_MIN_MS;
        if (p[AUDIT_QUORUM] * 2 <= p[AUDIT_COMMITTEE_SIZE]) return AUDIT_QUORUM;
        if (p[AUDIT_QUORUM] > p[AUDIT_COMMITTEE_SIZE]) return AUDIT_QUORUM;
        return COUNT;
    }
}
