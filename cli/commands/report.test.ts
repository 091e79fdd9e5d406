import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('onesim report refuses a folder that is not a run or sweep, with exit 2 naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-report-cli-'));
  const r = spawnSync(process.execPath, ['bin/onesim.js', 'report', dir], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('summary.json');
});
