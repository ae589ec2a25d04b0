/**
 * `npx tsx bench/summarize-profile.ts <file.cpuprofile> [top]`: self time by package and by
 * function of any V8 CPU profile (the bench's, or one `node --cpu-prof` wrote).
 */
import { profileSummaryText, summarizeCpuProfile } from './cpu-profile-summary.js';

const [file, top] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/summarize-profile.ts <file.cpuprofile> [top]');
  process.exit(2);
}
console.log(profileSummaryText(summarizeCpuProfile(file, 'as recorded', null, top ? Number(top) : 25)));
