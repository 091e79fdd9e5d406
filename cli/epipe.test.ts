import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;

describe('a reader that closes stdout early (onesim --help | head)', () => {
  it('ends the command quietly with exit 0, no unhandled EPIPE', async () => {
    const child = spawn(process.execPath, ['bin/onesim.js', '--help'], { cwd: root });
    // Close the read end before onesim writes: its first write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
