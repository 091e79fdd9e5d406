export type ErlangCParameters = {
  servers: number;
  arrivalRatePerMs: number;
  /** Service rate of one server. */
  serviceRatePerMs: number;
};

export type ErlangCReturnType = {
  /** ρ = λ / (c μ). */
  utilization: number;
  /** Probability that an arrival waits (Erlang C). */
  waitProbability: number;
  /** Mean wait in queue Wq = C / (c μ - λ). */
  waitQueueMeanMs: number;
};

/**
 * Erlang C for M/M/c with ρ < 1. Uses the Erlang B recursion B(k) = a·B(k-1) / (k + a·B(k-1)),
 * which stays in [0, 1] and never forms a^c or c!, so it is stable for any c (tested to 10^5),
 * then C = B / (1 - ρ(1 - B)).
 */
export function erlangC(parameters: ErlangCParameters): ErlangCReturnType {
  const { servers, arrivalRatePerMs, serviceRatePerMs } = parameters;
  if (!(Number.isSafeInteger(servers) && servers >= 1)) {
    throw new RangeError(`erlangC: servers=${servers} must be an integer >= 1`);
  }
  if (!(arrivalRatePerMs > 0 && serviceRatePerMs > 0)) {
    throw new RangeError(
      `erlangC: rates must be > 0 (arrivalRatePerMs=${arrivalRatePerMs}, serviceRatePerMs=${serviceRatePerMs})`,
    );
  }
  const offeredLoad = arrivalRatePerMs / serviceRatePerMs;
  const utilization = offeredLoad / servers;
  if (!(utilization < 1)) {
    throw new RangeError(`erlangC: utilization=${utilization} must be < 1 for a steady state`);
  }
  let blocking = 1;
  for (let k = 1; k <= servers; k++) {
    blocking = (offeredLoad * blocking) / (k + offeredLoad * blocking);
  }
  const waitProbability = blocking / (1 - utilization * (1 - blocking));
  const waitQueueMeanMs = waitProbability / (servers * serviceRatePerMs - arrivalRatePerMs);
  return { utilization, waitProbability, waitQueueMeanMs };
}
