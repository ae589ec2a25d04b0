import type { TimeWindow } from '../query/time-window.js';
import type { RollupSample } from '../rollups/rollup-sample.js';

/** The request log as the rollups' rebuild reads it. */
export interface RollupSampleSource {
  /** Every request created in the window, oldest first, a page at a time. */
  readSamples(window: TimeWindow): AsyncIterable<RollupSample[]>;
}
