/**
 * CPU time (user + system) of a process and of everything it started, from Linux's /proc, so the
 * bench can say where the CPU of a request goes (gateway, DynamoDB Local's JVM, mock, client).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuTime {
  /** This process, in ms. */
  selfMs: number;
  /** Its child processes and theirs (e.g. DynamoDB Local's JVM), in ms; 0 where /proc is missing. */
  descendantsMs: number;
}

export function cpuTime(): CpuTime {
  const { user, system } = process.cpuUsage();
  const descendants = descendantPids(process.pid);
  return { selfMs: (user + system) / 1000, descendantsMs: descendants.reduce((sum, pid) => sum + processCpuMs(pid), 0) };
}

function descendantPids(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const task of tasks) {
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
    } catch {
      continue;
    }
    for (const child of children) pids.push(child, ...descendantPids(child));
  }
  return pids;
}

function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
