import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';

/** The GPU side of a result, recorded when a GPU provider actually ran. */
export type GpuInfo = {
  devices: { name: string; memoryMiB: number | null }[];
  driverVersion: string | null;
  /** The CUDA version the driver supports (nvidia-smi's header). */
  cudaDriverApi: string | null;
  /** GPU libraries loaded into this process, with the version their file names carry. */
  libraries: { name: string; version: string | null; path: string }[];
};

/** `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits`. */
export function parseNvidiaSmiQuery(csv: string): {
  devices: GpuInfo['devices'];
  driverVersion: string | null;
} {
  const rows = csv
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(',').map((c) => c.trim()));
  return {
    devices: rows.map(([name, memory]) => ({
      name: name ?? 'unknown',
      memoryMiB: memory !== undefined && /^\d+$/.test(memory) ? Number(memory) : null,
    })),
    driverVersion: rows[0]?.[2] ?? null,
  };
}

/** "CUDA Version: 12.4" from nvidia-smi's banner. */
export function parseCudaVersion(banner: string): string | null {
  return /CUDA Version:\s*([\d.]+)/.exec(banner)?.[1] ?? null;
}

/** "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  …" from /proc/driver/nvidia/version. */
export function parseProcDriverVersion(text: string): string | null {
  return /Kernel Module\s+([\d.]+)/.exec(text)?.[1] ?? null;
}

const gpuLibrary =
  /\/(lib(?:cudart|cublas|cublasLt|cudnn|nvinfer|onnxruntime_providers_cuda|onnxruntime_providers_tensorrt)[^/\s]*\.so[^/\s]*)$/;

/** The GPU libraries named in a /proc/<pid>/maps text, each once, with realpath-resolved versions. */
export function parseLoadedLibraries(
  maps: string,
  resolve: (path: string) => string = (p) => p,
): GpuInfo['libraries'] {
  const seen = new Map<string, GpuInfo['libraries'][number]>();
  for (const line of maps.split('\n')) {
    const path = line.slice(line.indexOf('/')).trim();
    if (!line.includes('/') || !gpuLibrary.test(path) || seen.has(path)) continue;
    const real = resolve(path);
    const file = basename(real);
    const name = /^(lib[A-Za-z_]+)/.exec(file)?.[1] ?? file;
    seen.set(path, { name, version: /\.so\.([\d.]+)$/.exec(file)?.[1] ?? null, path: real });
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function run(command: string, args: string[]): string | null {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 5_000 });
  return r.status === 0 ? r.stdout : null;
}

/** What this machine says about its GPUs and the GPU libraries this process has loaded. */
export function describeGpu(): GpuInfo {
  const query = run('nvidia-smi', [
    '--query-gpu=name,memory.total,driver_version',
    '--format=csv,noheader,nounits',
  ]);
  const parsed = query ? parseNvidiaSmiQuery(query) : { devices: [], driverVersion: null };
  const banner = query ? run('nvidia-smi', []) : null;
  const procVersion = '/proc/driver/nvidia/version';
  const driverVersion =
    parsed.driverVersion ??
    (existsSync(procVersion) ? parseProcDriverVersion(readFileSync(procVersion, 'utf8')) : null);
  const maps = existsSync('/proc/self/maps') ? readFileSync('/proc/self/maps', 'utf8') : '';
  return {
    devices: parsed.devices,
    driverVersion,
    cudaDriverApi: banner ? parseCudaVersion(banner) : null,
    libraries: parseLoadedLibraries(maps, (p) => {
      try {
        return realpathSync(p);
      } catch {
        return p;
      }
    }),
  };
}
