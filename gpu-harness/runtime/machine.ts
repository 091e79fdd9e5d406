import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** The hardware a figure was measured on. `gpus` lists what the OS exposes; [] when none. */
export type Machine = {
  cpuModel: string;
  logicalCores: number;
  totalMemoryBytes: number;
  platform: string;
  arch: string;
  nodeVersion: string;
  gpus: string[];
};

/** NVIDIA's driver lists one folder per GPU with a `Model:` line; other vendors via DRM. */
function detectGpus(): string[] {
  const nvidia = '/proc/driver/nvidia/gpus';
  if (existsSync(nvidia)) {
    return readdirSync(nvidia)
      .sort()
      .map((bus) => {
        const info = readFileSync(`${nvidia}/${bus}/information`, 'utf8');
        return /Model:\s*(.+)/.exec(info)?.[1]?.trim() ?? `nvidia ${bus}`;
      });
  }
  const drm = '/sys/class/drm';
  if (!existsSync(drm)) return [];
  return readdirSync(drm)
    .filter((name) => /^card\d+$/.test(name) && existsSync(`${drm}/${name}/device/vendor`))
    .sort()
    .map((name) => `${name} vendor ${readFileSync(`${drm}/${name}/device/vendor`, 'utf8').trim()}`);
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    logicalCores: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    platform: os.platform(),
    arch: os.arch(),
    nodeVersion: process.version,
    gpus: detectGpus(),
  };
}
