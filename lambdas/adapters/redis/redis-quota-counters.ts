import { createHash } from 'node:crypto';
import type { CounterUsage, QuotaCounters, QuotaWindow, Reservation, ReserveResult } from '../../core/ports/quota-counters.js';
import { counterUsageOf } from '../../core/quota/counter-usage.js';
import { isLive, subWindowMs, subWindowStartOf, type SubWindowCounts } from '../../core/quota/sub-windows.js';
import { type RedisConnection, redisConnectionFromUrl } from './redis-connection.js';

/**
 * The quota counters on Redis / Valkey, over the process's shared connection
 * (`redis-connection.ts`). A counter is one hash, `lookout:quota:{<counter key>}`: one key, so
 * each script touches one hash slot and runs in cluster mode as it does standalone. Its fields are
 * `u:<sub-window start ms>` (settled) and `r:<sub-window start ms>` (reserved), integers that
 * HINCRBY changes in place.
 *
 * Reserve and settle are each one Lua script, which Redis runs with nothing else in between:
 * that, not a lock or a retry, is what keeps concurrent reserves from overspending. The times
 * the scripts compare (now, the sub-window starts) are the caller's (`nowMs`), never the server's
 * `TIME`: the sub-windows are aligned on the caller's clock (`subWindowStartOf`), as the DynamoDB
 * store's are, so both stores count the same request in the same sub-window; and the tests move
 * that clock to slide a window without waiting for it. The key's expiry is Redis's own, relative
 * to the write: window + one sub-window after the last reserve, by when everything in the hash
 * has left the window.
 */

/**
 * `decideReservation` (`core/quota/sub-windows.ts`) line for line, and the write it allows.
 * KEYS[1]: the hash. ARGV: amount, limit, now, window (ms), the current sub-window's start, the
 * key's lifetime (ms). Amounts stay strings on their way to HINCRBY: Lua prints a large number
 * as `1e+15`, which HINCRBY would refuse. Returns { granted 1 | 0, remaining, reset at }.
 */
const RESERVE_SCRIPT = `
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local current = tonumber(ARGV[5])
local fields = redis.call('HGETALL', KEYS[1])
local sums = {}
local expired = {}
for i = 1, #fields, 2 do
  local start = tonumber(string.sub(fields[i], 3))
  if start > now - window then
    sums[start] = (sums[start] or 0) + tonumber(fields[i + 1])
  else
    expired[#expired + 1] = fields[i]
  end
end
local counted = 0
local oldest = nil
for start, sum in pairs(sums) do
  counted = counted + sum
  if sum > 0 and (oldest == nil or start < oldest) then oldest = start end
end
if #expired > 0 then redis.call('HDEL', KEYS[1], unpack(expired)) end
local fits = counted + amount <= limit
local after = counted
if fits then
  after = counted + amount
  redis.call('HINCRBY', KEYS[1], 'r:' .. ARGV[5], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  if amount > 0 and (oldest == nil or current < oldest) then oldest = current end
end
local resetAt = now + window
if oldest ~= nil then resetAt = oldest + window end
return { fits and 1 or 0, math.max(0, limit - after), resetAt }
`;

/**
 * KEYS[1]: the hash. ARGV: the reservation's sub-window start, minus its amount, the actual
 * amount. Only while its reserved field is there: gone, the sub-window was dropped (or the key
 * expired) and the reservation with it, and adding to it would count an amount that left.
 */
const SETTLE_SCRIPT = `
local reserved = 'r:' .. ARGV[1]
if redis.call('HEXISTS', KEYS[1], reserved) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], reserved, ARGV[2])
redis.call('HINCRBY', KEYS[1], 'u:' .. ARGV[1], ARGV[3])
return 1
`;

/** A script sent by its SHA-1 (EVALSHA), and in full (EVAL) when the server does not have it yet (after a restart, or on a new shard). */
class LuaScript {
  private readonly sha1: string;

  constructor(private readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  async run(connection: RedisConnection, key: string, args: string[]): Promise<unknown> {
    try {
      return await connection.client.evalsha(this.sha1, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return connection.client.eval(this.source, 1, key, ...args);
    }
  }
}

const reserveScript = new LuaScript(RESERVE_SCRIPT);
const settleScript = new LuaScript(SETTLE_SCRIPT);

export class RedisQuotaCounters implements QuotaCounters {
  constructor(private readonly connection: RedisConnection) {}

  async reserve({ counterKey, windowSeconds, limit }: QuotaWindow, amount: number, nowMs: number): Promise<ReserveResult> {
    await this.connection.ready();
    const windowMs = windowSeconds * 1000;
    const subWindowStartMs = subWindowStartOf(nowMs, windowSeconds);
    const reply = await reserveScript.run(this.connection, counterHashKey(counterKey), [
      String(amount),
      String(limit),
      String(nowMs),
      String(windowMs),
      String(subWindowStartMs),
      String(windowMs + subWindowMs(windowSeconds)),
    ]);
    const { granted, remaining, resetAtMs } = reserveReplyOf(reply);
    if (!granted) return { granted: false, remaining, resetAtMs };
    return { granted: true, reservation: { counterKey, windowSeconds, subWindowStartMs, amount }, remaining, resetAtMs };
  }

  async settle({ counterKey, windowSeconds, subWindowStartMs, amount }: Reservation, actual: number, nowMs: number): Promise<void> {
    // Left the window: nothing to change, and no call to make.
    if (!isLive(subWindowStartMs, nowMs, windowSeconds)) return;
    await this.connection.ready();
    await settleScript.run(this.connection, counterHashKey(counterKey), [String(subWindowStartMs), String(-amount), String(actual)]);
  }

  async read({ counterKey, windowSeconds }: Omit<QuotaWindow, 'limit'>, nowMs: number): Promise<CounterUsage> {
    await this.connection.ready();
    const fields = await this.connection.client.hgetall(counterHashKey(counterKey));
    return counterUsageOf(subWindowsOf(fields), nowMs, windowSeconds);
  }

  /** Lets go of the shared connection (closed once its last user lets go). */
  async close(): Promise<void> {
    await this.connection.close();
  }
}

/** The counters on the server `url` names (`redisConnectionFromUrl`); `cluster` for a cluster-mode endpoint. */
export function redisQuotaCountersFromUrl(url: string, options: { cluster: boolean }): RedisQuotaCounters {
  return new RedisQuotaCounters(redisConnectionFromUrl(url, options));
}

/** `lookout:quota:{<counter key>}`: the braces make the whole counter key the hash tag. */
export function counterHashKey(counterKey: string): string {
  return `lookout:quota:{${counterKey}}`;
}

/** The hash's fields as sub-windows; a field of another shape is not a count and is left out. */
function subWindowsOf(fields: Record<string, string>): Map<number, SubWindowCounts> {
  const subWindows = new Map<number, SubWindowCounts>();
  for (const [field, value] of Object.entries(fields)) {
    const match = /^([ur]):(\d+)$/.exec(field);
    if (!match) continue;
    const startMs = Number(match[2]);
    const counts = subWindows.get(startMs) ?? { used: 0, reserved: 0 };
    counts[match[1] === 'u' ? 'used' : 'reserved'] += Number(value);
    subWindows.set(startMs, counts);
  }
  return subWindows;
}

function reserveReplyOf(reply: unknown): { granted: boolean; remaining: number; resetAtMs: number } {
  if (Array.isArray(reply) && reply.length === 3 && reply.every(Number.isSafeInteger)) {
    const [granted, remaining, resetAtMs] = reply as [number, number, number];
    return { granted: granted === 1, remaining, resetAtMs };
  }
  throw new Error(`the quota reserve script answered ${JSON.stringify(reply)}, not 3 integers`);
}
