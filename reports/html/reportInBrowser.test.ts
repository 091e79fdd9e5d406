import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type WorkerRow, workersCsv } from '../../sim/record/workerLedger.ts';
import { fixtureRun } from '../charts/fixtures.ts';
import { writeReport } from '../writeReport.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const reason = `${chromiumPath} not found (apt-get install chromium); the report browser test cannot run`;
// Loud locally, fatal in CI: a report that no browser opened is not tested.
if (!haveChromium && !process.env.CI) console.warn(`SKIPPING reportInBrowser.test.ts: ${reason}`);

function writeFixtureRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-report-'));
  mkdirSync(dir, { recursive: true });
  const run = fixtureRun();
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(run.summary));
  // The fixture's own columns: the report must not depend on which columns a run has.
  const columns = Object.keys(run.metrics[0]!);
  const csv = [
    columns.join(','),
    ...run.metrics.map((r) => columns.map((c) => r[c]).join(',')),
  ].join('\n');
  writeFileSync(join(dir, 'metrics.csv'), `${csv}\n`);
  writeFileSync(join(dir, 'workers.csv'), workersCsv(run.workers as unknown as WorkerRow[]));
  return dir;
}

describe.skipIf(!haveChromium && !process.env.CI)('the HTML report in headless Chromium', () => {
  it('renders every chart with no console errors and fetches nothing', async () => {
    if (!haveChromium) throw new Error(reason);
    const dir = writeFixtureRunDir();
    const r = writeReport({ dir, png: false });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (q) => requests.push(q.url()));
      await page.goto(pathToFileURL(r.html).href);
      const sizes = await page.$$eval('figure[data-chart] svg', (svgs) =>
        svgs.map((s) => {
          const b = s.getBoundingClientRect();
          return [b.width, b.height];
        }),
      );
      expect(sizes).toHaveLength(r.charts.length);
      for (const [w, h] of sizes) expect(w! * h!).toBeGreaterThan(10_000);
      expect(await page.locator('.pass').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
