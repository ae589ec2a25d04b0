/**
 * Resident memory of another process, read from /proc/<pid>/status, and a sampler that keeps its
 * peak while a load runs (VmHWM alone would report the peak since the process started).
 */
import { readFileSync } from 'node:fs';

export interface ResidentMemory {
  /** VmRSS: resident now. */
  rssBytes: number;
  /** VmHWM: the highest resident size since the process started. */
  highWaterBytes: number;
}

/** VmRSS and VmHWM of `pid`, or null once it is gone. */
export function residentMemory(pid: number): ResidentMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rssBytes: kib('VmRSS'), highWaterBytes: kib('VmHWM') };
}

export interface RssSampler {
  /** Stops sampling; the highest VmRSS seen and how many samples were taken. */
  stop(): { peakRssBytes: number; samples: number };
}

/** Samples VmRSS of `pid` every `intervalMs` until stopped. */
export function sampleRss(pid: number, intervalMs = 25): RssSampler {
  let peakRssBytes = residentMemory(pid)?.rssBytes ?? 0;
  let samples = 1;
  const timer = setInterval(() => {
    const now = residentMemory(pid);
    if (!now) return;
    peakRssBytes = Math.max(peakRssBytes, now.rssBytes);
    samples++;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const last = residentMemory(pid);
      if (last) peakRssBytes = Math.max(peakRssBytes, last.rssBytes);
      return { peakRssBytes, samples: samples + 1 };
    },
  };
}
