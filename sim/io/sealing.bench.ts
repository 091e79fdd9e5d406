import { performance } from 'node:perf_hooks';
import { generateSealingKeyPair, open, seal } from './sealing.ts';

/**
 * What sealing a job costs the requester and the worker: seal (an ephemeral X25519 key pair, one
 * key agreement, HKDF, AES-256-GCM) and open (one key agreement, HKDF, AES-256-GCM) per message,
 * at a chat request's size and at 64 KiB.
 */
function perSecond(label: string, n: number, fn: () => void): void {
  for (let i = 0; i < Math.min(n, 100); i++) fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const s = (performance.now() - t0) / 1000;
  console.log(
    `  ${label.padEnd(36)} ${Math.round(n / s)
      .toLocaleString('en-US')
      .padStart(9)} /s  ${((s / n) * 1e6).toFixed(1).padStart(8)} µs each`,
  );
}

export default async function bench(): Promise<void> {
  const worker = generateSealingKeyPair();
  for (const bytes of [512, 65_536]) {
    const plaintext = Buffer.alloc(bytes, 0x61);
    const box = seal({ plaintext, recipientPublicKey: worker.publicKey });
    perSecond(`seal ${bytes} B`, 2_000, () => {
      seal({ plaintext, recipientPublicKey: worker.publicKey });
    });
    perSecond(`open ${bytes} B`, 2_000, () => {
      open(box, worker.privateKey);
    });
  }
  console.log('command: npm run bench -- sim/io/sealing.bench.ts');
}
