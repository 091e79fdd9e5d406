import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../../protocol/errors.ts';

export const executionProviders = ['cpu', 'cuda', 'tensorrt', 'webgpu'] as const;
export type ExecutionProvider = (typeof executionProviders)[number];

/** The provider asked for, the one that ran, and why they differ (null when they agree). */
export type ProviderChoice = {
  requested: ExecutionProvider;
  provider: ExecutionProvider;
  fallbackReason: string | null;
};

export class UnknownProviderError extends InputError {
  override name = 'UnknownProviderError';
  declare readonly field: 'ep';
  constructor(readonly value: string) {
    super(
      `ep: unknown execution provider ${JSON.stringify(value)} (known: ${executionProviders.join(', ')})`,
      'ep',
    );
  }
}

export function parseProvider(value: string): ExecutionProvider {
  const found = executionProviders.find((p) => p === value);
  if (!found) throw new UnknownProviderError(value);
  return found;
}

const sharedLibrary: Partial<Record<ExecutionProvider, string>> = {
  cuda: 'libonnxruntime_providers_cuda.so',
  tensorrt: 'libonnxruntime_providers_tensorrt.so',
};

/**
 * Providers that need a separately installed shared library (cuda, tensorrt): if the library
 * is not beside the binding, say so instead of letting onnxruntime print a native error.
 * Returns null when a session may be attempted.
 */
export function missingProviderLibrary(provider: ExecutionProvider): string | null {
  const library = sharedLibrary[provider];
  if (!library) return null;
  const require = createRequire(import.meta.url);
  const bindingDir = join(
    dirname(require.resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  if (existsSync(join(bindingDir, library))) return null;
  return `${provider} unavailable: ${library} is not installed with onnxruntime-node (${bindingDir}); ran on cpu`;
}
