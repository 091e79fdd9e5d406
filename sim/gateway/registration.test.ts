import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkersFile, WorkersFileError } from './registration.ts';

const key = () =>
  generateKeyPairSync('ed25519')
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');
const served = new Set(['tinylm-s', 'chat-s']);
const dir = mkdtempSync(join(tmpdir(), 'onesim-workers-file-'));
const fileWith = (content: string) => {
  const path = join(dir, `w${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, content);
  return path;
};

describe('--workers files', () => {
  it('reads keys with their models and optional attestation', () => {
    const k = key();
    const path = fileWith(JSON.stringify({ workers: [{ key: k, models: ['tinylm-s'] }] }));
    expect(readWorkersFile(path, served)).toEqual([{ key: k, models: ['tinylm-s'] }]);
  });

  it.each([
    ['not JSON', '{"workers": [', 'workers'],
    ['no workers', '{"workers": []}', 'workers'],
    [
      'a bad key',
      JSON.stringify({ workers: [{ key: 'abc', models: ['tinylm-s'] }] }),
      'workers.0.key',
    ],
    [
      'an RSA-sized garbage key',
      JSON.stringify({
        workers: [{ key: Buffer.alloc(44).toString('base64'), models: ['tinylm-s'] }],
      }),
      'workers.0.key',
    ],
    [
      'a model not served',
      JSON.stringify({ workers: [{ key: key(), models: ['gpt-9'] }] }),
      'workers.0.models.0',
    ],
    [
      'an unknown field',
      JSON.stringify({ workers: [{ key: key(), models: ['chat-s'], slots: 3 }] }),
      'workers.0',
    ],
    [
      'a bad attestation',
      JSON.stringify({
        workers: [{ key: key(), models: ['chat-s'], attestation: { worker: '0x1' } }],
      }),
      'workers.0.attestation.worker',
    ],
  ])('refuses %s, naming the field', (_, content, field) => {
    const path = fileWith(content);
    let error: unknown;
    try {
      readWorkersFile(path, served);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkersFileError);
    expect((error as WorkersFileError).field).toBe(field);
    expect((error as Error).message.startsWith(`${path}:`)).toBe(true);
  });

  it('refuses a key listed twice', () => {
    const k = key();
    const path = fileWith(
      JSON.stringify({
        workers: [
          { key: k, models: ['chat-s'] },
          { key: k, models: ['tinylm-s'] },
        ],
      }),
    );
    expect(() => readWorkersFile(path, served)).toThrowError(/workers\.1\.key: listed twice/);
  });
});
