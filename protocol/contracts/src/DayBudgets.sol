// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Staking} from "./Staking.sol";
import {P} from "./Params.sol";
import {TooEarly, WrongDay} from "./Rejections.sol";

/// The day boundary: snapshot stakes, compute the treasury bound σ_d, earmark what the day's
/// credits can cost. Linear schedule: credits = floor(A · stake / T · σ_d) for stake ≥ T.
abstract contract DayBudgets is Staking {
    event DayStarted(uint256 indexed day, uint256 budgetMicroUsdc, uint256 sigmaNum, uint256 sigmaDen, uint256 allottedCu);
    event DayBudgetReleased(uint256 indexed day, uint256 returnedMicroUsdc);

    function startDay(uint256 day) external {
        if (day != dayPlus1) revert WrongDay(dayPlus1, day);
        uint256 nowMs = _nowMs();
        uint256 dayMs = params[P.DAY_MS];
        if (nowMs < day * dayMs) revert TooEarly(nowMs, day * dayMs);
        AllotmentTerms memory k;
        k.creditsPerThresholdCu = params[P.CREDITS_PER_THRESHOLD_CU];
        k.stakeThresholdOneWei = params[P.STAKE_THRESHOLD_ONE_WEI];
        uint256 price = params[P.INCLUDED_PRICE];
        (uint256[] memory stakes, uint256 eligibleOneWei) = _stakesAt(k.stakeThresholdOneWei);
        uint256 budget;
        (budget, k.sigmaNum, k.sigmaDen) =
            _treasuryBound(k.creditsPerThresholdCu * eligibleOneWei, k.stakeThresholdOneWei, price);
        uint256 allottedCu = 0;
        for (uint256 i = 0; i < stakes.length; i++) allottedCu += _credits(k, stakes[i]);
        uint256 earmark = allottedCu * price;
        assert(earmark <= budget);
        treasuryMicroUsdc -= earmark;
        uint256 lastFinishMs = (day + 1) * dayMs + params[P.JOB_DEADLINE_MAX_MS];
        dayBudgets[day] = DayBudget({
            budgetMicroUsdc: budget,
            earmarkedMicroUsdc: earmark,
            paidMicroUsdc: 0,
            allottedCu: allottedCu,
            priceMicroUsdcPerCu: price,
            sigmaNum: k.sigmaNum,
            sigmaDen: k.sigmaDen,
            releaseEpoch: lastFinishMs / params[P.SETTLEMENT_EPOCH_MS] + 1
        });
        terms = k;
        dayPlus1 = day + 1;
        emit DayStarted(day, budget, k.sigmaNum, k.sigmaDen, allottedCu);
    }

    /// Every holder's stake now (the day's snapshot) and the total of those at or above T.
    function _stakesAt(uint256 threshold) internal view returns (uint256[] memory stakes, uint256 eligibleOneWei) {
        uint256 n = holderList.length;
        stakes = new uint256[](n);
        for (uint256 i = 0; i < n; i++) {
            uint256 s = holders[holderList[i]].stakedOneWei;
            stakes[i] = s;
            if (s >= threshold) eligibleOneWei += s;
        }
    }

    /// B_d = min(B_max, treasury / runwayDays); σ = min(1, B_d / (nominal credits · price)),
    /// with nominal credits = numTotal / T.
    function _treasuryBound(uint256 numTotal, uint256 t, uint256 price)
        internal
        view
        returns (uint256 budget, uint256 sigmaNum, uint256 sigmaDen)
    {
        budget = treasuryMicroUsdc / params[P.RUNWAY_DAYS];
        uint256 budgetMax = params[P.INCLUDED_BUDGET_MAX];
        if (budgetMax < budget) budget = budgetMax;
        uint256 costNum = price * numTotal;
        if (costNum == 0 || costNum <= budget * t) return (budget, 1, 1);
        return (budget, budget * t, costNum);
    }

    /// Day budgets whose last possible receipt is settled by `epoch` give back what they did not pay.
    function _releaseDayBudgets(uint256 epoch) internal {
        uint256 day = firstUnreleasedDay;
        while (day < dayPlus1 && dayBudgets[day].releaseEpoch <= epoch) {
            DayBudget storage b = dayBudgets[day];
            uint256 returned = b.earmarkedMicroUsdc - b.paidMicroUsdc;
            treasuryMicroUsdc += returned;
            delete dayBudgets[day];
            emit DayBudgetReleased(day, returned);
            day++;
        }
        firstUnreleasedDay = day;
    }
}
