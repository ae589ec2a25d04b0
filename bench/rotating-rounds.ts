/**
 * The rounds the response cache's and the quotas' comparisons share: a warm-up turn of every
 * target, then rounds in which each target gets one turn, in an order that rotates from round to
 * round, so drift in the machine's load (the other engineers' processes, a JVM collecting) falls
 * on every target alike rather than on whichever always runs first or last.
 */

/** The order of round `round`: the targets rotated by one each round. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * Warms up each target (in the listed order), then runs `rounds` rounds of `turn`, one per target
 * per round. Returns each target's measured turns in the order they ran; warm-ups are left out.
 */
export async function runRotatingRounds<Target extends { name: string }, Turn>(
  targets: readonly Target[],
  rounds: number,
  warmUp: (target: Target) => Promise<unknown>,
  turn: (target: Target) => Promise<Turn>,
): Promise<Map<Target['name'], Turn[]>> {
  for (const target of targets) await warmUp(target);
  const turns = new Map<Target['name'], Turn[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const target of roundOrder(targets, round)) turns.get(target.name)!.push(await turn(target));
  }
  return turns;
}
