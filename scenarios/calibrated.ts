import { assumption, cuOfTextRequest, figure, inputTokenWeight } from './calibration.ts';

/**
 * The numbers scenarios use, each worked out from scenarios/calibration.json (see the comment
 * there for what a CU is). Nothing here is typed in: change the file, and these follow.
 */

const round = (v: number, digits = 4): number => Number(v.toPrecision(digits));

/** A chat request of the reference 8B-class model: the mean of a production trace. */
export const chatRequest = (() => {
  const inputTokens = figure('chatRequest.inputTokensMean').value;
  const outputTokens = figure('chatRequest.outputTokensMean').value;
  return {
    inputTokens,
    outputTokens,
    inputWeight: round(inputTokenWeight(), 3),
    cu: Math.round(cuOfTextRequest({ inputTokens, outputTokens })),
  };
})();

/** The model every calibrated scenario serves. */
export const chatModel = { name: 'llama-3.1-8b', cuPerRequest: chatRequest.cu, weight: 1 };

/**
 * CU/s of a GPU from its output tokens/s on a chat workload: a request holds a slot as long as
 * its output takes at the measured per-stream rate (prompt processing is inside the measured
 * rate), so CU/s = output tokens/s × CU per request ÷ output tokens per request.
 */
export const cuPerSecOf = (outputTokensPerSec: number): number =>
  Math.round((outputTokensPerSec * chatRequest.cu) / chatRequest.outputTokens);

const HOURS_PER_DAY = 24;

/** An RTX 4090-class worker serving 8 requests at once, costed at the GPU's rental price. */
export const rtx4090Worker = (() => {
  const tps = figure('tokensPerSec8b.concurrency8.rtx4090');
  const rent = figure('gpuRentUsdPerHour.rtx4090');
  const watts = figure('gpuBoardPowerW.rtx4090').value;
  const kwh = figure('electricityUsdPerKwh.us');
  return {
    slots: assumption('workerSlots').value!,
    capacityCuPerSec: cuPerSecOf(tps.value),
    capacityCuPerSecLow: cuPerSecOf(tps.low),
    capacityCuPerSecHigh: cuPerSecOf(tps.high),
    /** What renting the GPU costs (or what an owner forgoes by not renting it out). */
    costUsdcPerDay: round(rent.value * HOURS_PER_DAY),
    costUsdcPerDayHigh: round(rent.high * HOURS_PER_DAY),
    /** An owner's marginal cost: electricity at full board power, nothing for the hardware. */
    electricityUsdcPerDay: round(((watts * HOURS_PER_DAY) / 1000) * kwh.value),
  };
})();

/**
 * What serving one chat request costs an RTX 4090-class worker: its slot-time (CU × slots ÷
 * capacity seconds) at the day's cost per slot. A lazy worker that fakes the job saves this.
 */
export const chatJobCostUsdc = Number(
  (
    (rtx4090Worker.costUsdcPerDay * chatRequest.cu) /
    (86_400 * rtx4090Worker.capacityCuPerSec)
  ).toPrecision(3),
);

/** Included demand: prompts a day of an active holder (log-normal; its mean is the figure's). */
export const holderDemand = (() => {
  const sigma = assumption('holderJobsPerDaySigma').value!;
  const mean = figure('chatPromptsPerDayPerWeeklyUser').value;
  return {
    activeShare: assumption('holderActiveShare').value!,
    jobsPerDayMean: mean,
    jobsPerDayMedian: round(mean / Math.exp((sigma * sigma) / 2)),
    jobsPerDaySigma: sigma,
    cuPerActiveHolderPerDay: Math.round(mean * chatRequest.cu),
  };
})();

/** A sponsor reserves what its users ask for a day, as CU/s (users per sponsor: an assumption). */
export const sponsorRates = (() => {
  const users = assumption('sponsorUsers');
  const perUser = (figure('chatPromptsPerDayPerWeeklyUser').value * chatRequest.cu) / 86_400;
  return {
    rateCuPerSecMin: round(users.low! * perUser, 3),
    rateCuPerSecMax: round(users.high! * perUser, 3),
  };
})();

/** Lane SLOs: Dedicated at MLPerf's server bounds for the mean request; Included an assumption. */
export const laneSlo = {
  dedicatedMs: Math.round(
    figure('slo8b.server.ttftMs').value +
      figure('slo8b.server.tpotMs').value * chatRequest.outputTokens,
  ),
  includedMs: assumption('includedSloMs').value!,
};

/**
 * What API providers charge for a CU of the reference model, per provider listing both prices:
 * (output price × output tokens + input price × input tokens) ÷ CU, in micro-USDC per CU
 * (= USD per million CU).
 */
export function marketMicroUsdcPerCu(): Array<{ provider: string; microUsdcPerCu: number }> {
  const out = figure('marketPrice8b.outputUsdPerMTok').observations;
  const inp = figure('marketPrice8b.inputUsdPerMTok').observations;
  const rows: Array<{ provider: string; microUsdcPerCu: number }> = [];
  for (const o of out) {
    const i = o.provider ? inp.find((x) => x.provider === o.provider) : undefined;
    if (o.provider && o.value !== undefined && i?.value !== undefined)
      rows.push({
        provider: o.provider,
        microUsdcPerCu: round(
          (o.value * chatRequest.outputTokens + i.value * chatRequest.inputTokens) / chatRequest.cu,
          3,
        ),
      });
  }
  return rows.sort((a, b) => a.microUsdcPerCu - b.microUsdcPerCu);
}
