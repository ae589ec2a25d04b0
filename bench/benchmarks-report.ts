/**
 * Turns the results into tables: aligned text for stdout and BENCHMARKS.md, from the same rows.
 */
import type { SteadyStateMemory, LargeResponseMemory } from './gateway-memory.js';
import type { LatencyComparison, SideResult } from './latency-comparison.js';
import type { LatencySummary } from './latency-statistics.js';
import type { LogWriteResult } from './request-log-probe.js';
import type { MemorySnapshot } from './stack-process.js';

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
}

export interface MachineFacts {
  date: string;
  nproc: string;
  cpuModel: string;
  totalMemory: string;
  os: string;
  benchNode: string;
  gatewayNode: string;
  java: string;
  commit: string;
  uncommittedGatewayChanges: string;
}

export interface BenchResults {
  machine: MachineFacts;
  maxBodyBytes: number;
  inlineBodyMaxBytes: number;
  buffered: LatencyComparison[];
  streamed: LatencyComparison[];
  steadyMemory: SteadyStateMemory;
  largeResponses: LargeResponseMemory[];
  logWrites: LogWriteResult[];
  gatewayLog: { warnings: number; errors: number; topMessages: string[]; errorDetails: string[] };
  /** The gateway process after full GC, from its start through each phase to the end of the run. */
  memoryTimeline: { label: string; memory: MemorySnapshot }[];
  durationSeconds: number;
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const ratio = (gateway: number, direct: number) => `${(gateway / direct).toFixed(2)}×`;
const signedMs = (value: number) => `${value >= 0 ? '+' : ''}${ms(value)}`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;
const signedBytes = (bytes: number) => `${bytes >= 0 ? '+' : ''}${Math.round(bytes)} B`;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

function percentiles(s: LatencySummary): string {
  return `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;
}

function latencyRow(label: string, c: LatencyComparison, pick: (side: SideResult) => LatencySummary, withThroughput: boolean): string[] {
  const d = pick(c.direct);
  const g = pick(c.gateway);
  return [
    label,
    String(c.concurrency),
    percentiles(d),
    percentiles(g),
    `${ratio(g.p50, d.p50)} / ${ratio(g.p95, d.p95)} / ${ratio(g.p99, d.p99)}`,
    `${signedMs(g.p50 - d.p50)} / ${signedMs(g.p95 - d.p95)} / ${signedMs(g.p99 - d.p99)}`,
    withThroughput
      ? `${c.direct.throughputRps.toFixed(0)} → ${c.gateway.throughputRps.toFixed(0)} (${ratio(c.gateway.throughputRps, c.direct.throughputRps)})`
      : '',
    `${d.n} / ${g.n}`,
    `${c.direct.failures} / ${c.gateway.failures}`,
  ];
}

const LATENCY_HEADERS = [
  'metric',
  'conc.',
  'direct p50 / p95 / p99 ms',
  'gateway p50 / p95 / p99 ms',
  'gateway ÷ direct',
  'added ms',
  'req/s direct → gateway',
  'n direct / gateway',
  'failures d / g',
];

export function resultTables(results: BenchResults): Table[] {
  const tables: Table[] = [];
  tables.push({
    title: '1. Buffered chat completion (latency = send → last byte)',
    headers: LATENCY_HEADERS,
    rows: results.buffered.map((c) => latencyRow('total', c, (s) => s.total, true)),
  });
  tables.push({
    title: '2. Streamed chat completion (TTFB = send → first body byte; total = send → last byte)',
    headers: ['scenario', ...LATENCY_HEADERS],
    rows: results.streamed.flatMap((c) => [
      [c.scenario, ...latencyRow('TTFB', c, (s) => s.ttfb, false)],
      [c.scenario, ...latencyRow('total', c, (s) => s.total, true)],
    ]),
  });

  tables.push({
    title: 'CPU time per request, by process (ms), measured while each side ran',
    headers: ['scenario', 'conc.', 'side', 'client', 'mock', 'gateway process', 'DynamoDB Local (JVM)', 'all'],
    rows: [...results.buffered, ...results.streamed].flatMap((c) =>
      (['direct', 'gateway'] as const).map((side) => {
        const cpu = c[side].cpuPerRequest;
        return [
          c.scenario,
          String(c.concurrency),
          side,
          ms(cpu.client),
          ms(cpu.mock),
          ms(cpu.gateway),
          ms(cpu.dynamoDbLocal),
          ms(cpu.client + cpu.mock + cpu.gateway + cpu.dynamoDbLocal),
        ];
      }),
    ),
  });

  const checkpoints = results.steadyMemory.checkpoints;
  tables.push({
    title: `3a. Gateway process memory after full GC, streamed requests at concurrency ${results.steadyMemory.concurrency}`,
    headers: [
      'checkpoint',
      'requests',
      'req/s',
      'log backlog drained after',
      'rss',
      'heapUsed',
      'external',
      'arrayBuffers',
      'active handles',
      'Δ heapUsed / request',
      'Δ rss / request',
      'Δ external / request',
    ],
    rows: checkpoints.map((c, i) => {
      const previous = checkpoints[i - 1];
      const perRequest = (field: 'heapUsed' | 'rss' | 'external') =>
        previous ? signedBytes((c.memory[field] - previous.memory[field]) / c.requests) : '';
      return [
        c.label,
        `${c.requests}${c.failures ? ` (${c.failures} failed)` : ''}`,
        c.throughputRps.toFixed(0),
        `${ms(c.logSettleMs)} ms`,
        mib(c.memory.rss),
        mib(c.memory.heapUsed),
        mib(c.memory.external),
        mib(c.memory.arrayBuffers),
        Object.entries(c.memory.activeResources)
          .map(([type, n]) => `${type} ${n}`)
          .join(', '),
        perRequest('heapUsed'),
        perRequest('rss'),
        perRequest('external'),
      ];
    }),
  });
  tables.push({
    title: `3b. Large streamed answers through the gateway (maxBodyBytes = ${mib(results.maxBodyBytes)})`,
    headers: [
      'answer',
      'direct ms (median)',
      'gateway ms (median)',
      'gateway ÷ direct',
      'gateway MiB/s',
      'peak Δ rss',
      'peak Δ heap + buffers',
      'live peak Δ heap + buffers',
      'after GC Δ heap + buffers / rss',
      'stored response body',
      'logged after',
    ],
    rows: results.largeResponses.map((l) => {
      const direct = median(l.directMs);
      const gateway = median(l.gatewayMs);
      const heapAndBuffers = (m: { heapUsed: number; arrayBuffers: number }) => m.heapUsed + m.arrayBuffers;
      return [
        `${mib(l.responseBytes)} × ${l.directMs.length}`,
        ms(direct),
        ms(gateway),
        ratio(gateway, direct),
        (l.responseBytes / 1024 / 1024 / (gateway / 1000)).toFixed(0),
        signedMib(l.peaks.rss - l.before.rss),
        signedMib(l.peaks.heapAndBuffers - heapAndBuffers(l.before)),
        signedMib(l.livePeaks.heapAndBuffers - heapAndBuffers(l.before)),
        `${signedMib(heapAndBuffers(l.after) - heapAndBuffers(l.before))} / ${signedMib(l.after.rss - l.before.rss)}`,
        l.storedResponseBytes === null ? 'none' : mib(l.storedResponseBytes),
        `${ms(l.logSettleMs)} ms`,
      ];
    }),
  });
  tables.push({
    title: '3c. Gateway process memory through the run, after full GC',
    headers: ['after', 'rss', 'rss anonymous', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'],
    rows: results.memoryTimeline.map(({ label, memory: m }) => [
      label,
      mib(m.rss),
      m.rssAnon === null ? '–' : mib(m.rssAnon),
      mib(m.heapTotal),
      mib(m.heapUsed),
      mib(m.external),
      mib(m.arrayBuffers),
    ]),
  });
  tables.push({
    title: '4. Request-log write: last byte at the client → log item readable by Lookout-Id (one request at a time)',
    headers: [
      'request',
      'n',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'found at first poll',
      'poll round trip p50 / p95 ms',
      'never logged (10 s)',
    ],
    rows: results.logWrites.map((w) => [
      w.kind,
      String(w.loggedAfter.n),
      ms(w.loggedAfter.p50),
      ms(w.loggedAfter.p95),
      ms(w.loggedAfter.p99),
      ms(w.loggedAfter.max),
      `${(w.loggedAtFirstPoll * 100).toFixed(0)}%`,
      `${ms(w.pollRoundTrip.p50)} / ${ms(w.pollRoundTrip.p95)}`,
      String(w.notLogged),
    ]),
  });
  return tables;
}

export function textTable(table: Table): string {
  const widths = table.headers.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [table.title, line(table.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${table.headers.map(escape).join(' | ')} |`,
    `| ${table.headers.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

export function benchmarksMarkdown(results: BenchResults): string {
  const m = results.machine;
  const tables = resultTables(results);
  const section = (table: Table, text: string) => `## ${table.title}\n\n${text ? `${text}\n\n` : ''}${markdownTable(table)}\n`;
  const [buffered, streamed, cpu, steady, large, timeline, logWrite] = tables as [Table, Table, Table, Table, Table, Table, Table];
  const failures = [...results.buffered, ...results.streamed].flatMap((c) => [c.direct, c.gateway]).filter((s) => s.failures > 0);
  return `# Lookout benchmarks

Written by \`npm run bench\` (\`tsx bench/run.ts\`); every run overwrites this file. Numbers are from
one run on the machine below; compare **ratios** between runs, not absolute milliseconds.

| | |
| --- | --- |
| date | ${m.date} |
| command | \`npm run bench\` (took ${results.durationSeconds.toFixed(0)} s) |
| \`nproc\` | ${m.nproc} (${m.cpuModel}), ${m.totalMemory} RAM, ${m.os} |
| node | ${m.benchNode} (bench client), ${m.gatewayNode} (gateway process) |
| DynamoDB Local | ${m.java} |
| commit | ${m.commit}; uncommitted changes under \`lambdas/\` when run: ${m.uncommittedGatewayChanges} |
| gateway config | defaults: \`maxBodyBytes\` ${mib(results.maxBodyBytes)}, \`inlineBodyMaxBytes\` ${results.inlineBodyMaxBytes} B, key cache on |

## How to read this

- **direct** is the bench client talking to the loopback mock provider; **gateway** is the same
  client sending the same request bytes to the local stack (\`startLocalStack\`: the API Gateway
  stand-in, the gateway Lambda handler, DynamoDB Local, the S3 server), which forwards to the same
  mock. Both sides run in the same run, after a warm-up, in alternating rounds, over one undici
  agent with keep-alive.
- **gateway ÷ direct** is the ratio at the same percentile; **added ms** is gateway minus direct at
  the same percentile (a difference of two distributions, not of paired requests). A loopback mock
  answers in well under a millisecond, so ratios look large; against a real provider (hundreds of
  ms) the added ms is what matters.
- Three processes and a JVM share ${m.nproc} cores: the bench client, the mock provider, the
  gateway process (gateway and query Lambdas, the S3 server) and DynamoDB Local. At concurrency 8
  the machine is saturated, so latency there mostly measures CPU spent per request and **req/s**
  is the capacity the gateway leaves; at concurrency 1 it is closer to pure added latency.
- Not measured here: AWS API Gateway, Lambda cold starts and the network to a real provider, which
  add far more than the gateway's own work. The request log is written after the client has its
  last byte, so it is not in these latencies, but it uses CPU in the same process meanwhile.
- Memory (3a) is read in the gateway process after forced full collections, once the last requests
  of the round were logged. Growth **per request** between later checkpoints is the leak signal (the
  first round also pays one-time costs: compiled code, pools, caches). RSS seldom shrinks (the
  allocator keeps freed pages), so judge leaks by heapUsed, external and arrayBuffers.
- Large answers (3b): the gateway keeps at most \`maxBodyBytes\` of an answer for the log; the
  check is that its live memory stops growing with the answer once the answer is past that.
- Log write (4): an upper bound, as it includes the round trip of the poll that found the item;
  the poll round trip is its resolution.

${section(buffered, "The mock answers at once; this is the gateway's whole cost for a small buffered answer.")}
${section(streamed, "The mock streams its chat answer (role, 5 text pieces, stop, `[DONE]`) with 5 ms after each event, as the tests know it, or with no pauses, which isolates the gateway's own cost. The gateway adds `stream_options.include_usage` upstream, so the mock also sends a usage chunk (which the gateway strips): with 5 ms gaps that is one more pause, so about 5 ms of the added total there is the mock's pacing, not gateway work (OpenAI sends the usage chunk right after the last one).")}
${section(cpu, "CPU time of each process from /proc (DynamoDB Local's JVM is a child of the gateway process) from the start of a side's round until 300 ms after its last request, divided by its requests, so the gateway side includes writing each request's log. What the gateway process and the JVM show on the direct side is background work (JIT, GC, timers).")}
${section(steady, 'Each Δ column is the change since the previous checkpoint divided by the requests in between. "log backlog drained after" is the time from the round\'s end until its last requests were readable in the query API.')}
${section(large, 'The mock streams ~1 KB content events (OpenAI\'s shape, with `"usage":null` on each chunk since the gateway asks for usage, which the gateway strips). Δ is against the memory after full GC just before. "peak" is sampled every 5 ms while the timed requests ran and includes garbage not yet collected; "live peak" is one more request sampled every 10 ms right after a forced full GC, i.e. what the gateway actually holds. "stored response body" is what `GET /v1/requests/{id}` returns for the first request.')}
${section(timeline, '"rss anonymous" is resident memory not backed by files (JavaScript heap, Buffers, malloc); the rest of rss is mapped code and data files.')}
${section(logWrite, '')}
## Run notes

- Failed requests: ${failures.length === 0 ? 'none' : failures.map((f) => `${f.failures} (${f.firstFailure})`).join('; ')}.
- Gateway process log during the run: ${results.gatewayLog.warnings} warnings, ${results.gatewayLog.errors} errors${results.gatewayLog.topMessages.length ? ` (${results.gatewayLog.topMessages.join('; ')})` : ''}.
${results.gatewayLog.errorDetails.map((d) => `  - \`${d.replaceAll('`', "'")}\`\n`).join('')}`;
}
