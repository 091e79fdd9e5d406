import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('onesim run deployment-churn (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-deploy-'));

  it('runs, answers its question (YES/NO rows, exit 0), writes the deployment metrics, and its trace replays', async () => {
    const out = join(dir, 'churn');
    const r = await runCli(['run', 'deployment-churn', '--days', '2', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const summary = lastJson(r.stdout);
    expect(summary.invariants.violation).toBeNull();
    const h = summary.headline;
    expect(h.deployedModels).toBe(3);
    expect(h.underReplicatedShare).toBeGreaterThan(0);
    expect(h.underReplicatedShare).toBeLessThan(0.5);
    expect(h.replicaTransfers).toBeGreaterThan(0);
    expect(h.replicaTransferSecondsMean).toBeGreaterThan(0);
    // Its questions are answered (YES or NO), not failed: a NO does not make the run exit 1.
    expect(summary.expectations[0]).toMatchObject({
      label: 'models under-replicated at most 1 % of the time',
      subject: 'underReplicatedShare',
      actual: h.underReplicatedShare,
      question: true,
      pass: h.underReplicatedShare <= 0.01,
    });
    for (const e of summary.expectations) expect(e.question).toBe(true);
    const [header] = readFileSync(join(out, 'metrics.csv'), 'utf8').split('\n');
    expect(header!.split(',')).toContain('underReplicatedShare');
    const replay = await runCli(['replay', join(out, 'trace.jsonl.gz'), '--json']);
    expect(replay.status, replay.stderr).toBe(0);
    expect(lastJson(replay.stdout)).toMatchObject({
      matches: true,
      stateHash: summary.finalStateHash,
    });
  });

  it('prints the answer: the share of model-time under-replicated and what transfers cost', async () => {
    const r = await runCli(['run', 'deployment-churn', '--days', '1', '--out', join(dir, 'text')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /models under-replicated \(share of time\) +[\d.]+ % of model-time \(3 models\)/,
    );
    expect(r.stdout).toMatch(/replica transfers \/ mean time +\d+ \/ [\d.,]+ s \(cache /);
    expect(r.stdout).toMatch(/(YES|NO) +models under-replicated at most 1 % of the time/);
  });

  it('without churn (an override) the models are never under-replicated', async () => {
    const r = await runCli([
      'sweep',
      'deployment-churn',
      '--seeds',
      '1',
      '--days',
      '1',
      '--grid',
      'faults.crashesPerWorkerDay=0',
      '--out',
      join(dir, 'calm'),
      '--no-report',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const runs = readFileSync(join(dir, 'calm', 'runs.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(runs).toHaveLength(1);
    expect(JSON.parse(runs[0]!).headline.underReplicatedShare).toBe(0);
  });
});
