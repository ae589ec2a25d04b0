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

/** The processes `pid` started, and theirs, from /proc. */
export function descendantPids(pid: number): number[] {
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

/** The first descendant of `pid` whose command name is `name` (e.g. `java`), if any. */
export function descendantNamed(pid: number, name: string): number | undefined {
  return descendantPids(pid).find((child) => {
    try {
      return readFileSync(`/proc/${child}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
}

/** CPU ms (user + system, all threads) `pid` has used so far; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU ms all cores have been busy since boot (every process, ours and others'), from /proc/stat. */
export function machineBusyMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
