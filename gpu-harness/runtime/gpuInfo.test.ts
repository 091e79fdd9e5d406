import { describe, expect, it } from 'vitest';
import {
  parseCudaVersion,
  parseLoadedLibraries,
  parseNvidiaSmiQuery,
  parseProcDriverVersion,
} from './gpuInfo.ts';

// Text as NVIDIA's tools print it (nvidia-smi 550 on an H100, /proc/driver/nvidia/version) and
// as Linux lists a process's mappings: no GPU is needed to check that they are read right.
describe('GPU facts recorded with a GPU result', () => {
  it('reads nvidia-smi query output and banner, and the kernel module version', () => {
    expect(
      parseNvidiaSmiQuery(
        'NVIDIA H100 80GB HBM3, 81559, 550.54.15\nNVIDIA H100 80GB HBM3, 81559, 550.54.15\n',
      ),
    ).toEqual({
      devices: [
        { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 },
        { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 },
      ],
      driverVersion: '550.54.15',
    });
    expect(
      parseCudaVersion(
        '| NVIDIA-SMI 550.54.15    Driver Version: 550.54.15    CUDA Version: 12.4     |',
      ),
    ).toBe('12.4');
    expect(
      parseProcDriverVersion(
        'NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\nGCC version:  gcc version 12.2.0',
      ),
    ).toBe('550.54.15');
  });

  it('lists the GPU libraries a process mapped, once each, versions from their real names', () => {
    const maps = [
      '7f1c00000000-7f1c00200000 r--p 00000000 08:01 123 /usr/local/cuda/lib64/libcudart.so.12',
      '7f1c00200000-7f1c00400000 r-xp 00200000 08:01 123 /usr/local/cuda/lib64/libcudart.so.12',
      '7f1c10000000-7f1c10200000 r--p 00000000 08:01 456 /usr/lib/x86_64-linux-gnu/libcudnn.so.9',
      '7f1c20000000-7f1c20200000 r--p 00000000 08:01 789 /app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so',
      '7f1c30000000-7f1c30200000 r--p 00000000 08:01 999 /usr/lib/x86_64-linux-gnu/libc.so.6',
    ].join('\n');
    const real: Record<string, string> = {
      '/usr/local/cuda/lib64/libcudart.so.12': '/usr/local/cuda-12.4/lib64/libcudart.so.12.4.127',
      '/usr/lib/x86_64-linux-gnu/libcudnn.so.9': '/usr/lib/x86_64-linux-gnu/libcudnn.so.9.1.0',
    };
    expect(parseLoadedLibraries(maps, (p) => real[p] ?? p)).toEqual([
      {
        name: 'libcudart',
        version: '12.4.127',
        path: '/usr/local/cuda-12.4/lib64/libcudart.so.12.4.127',
      },
      { name: 'libcudnn', version: '9.1.0', path: '/usr/lib/x86_64-linux-gnu/libcudnn.so.9.1.0' },
      {
        name: 'libonnxruntime_providers_cuda',
        version: null,
        path: '/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so',
      },
    ]);
  });
});
