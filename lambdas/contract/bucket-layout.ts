/**
 * Where things go in the bodies bucket, and how long a cache entry may live: facts the
 * gateway's adapters write by and the bucket's lifecycle rules (lib/constructs/request-log.ts)
 * expire by, so the two cannot drift apart.
 */

/** The request bodies the request-log recorder moves out of log items: `bodies/<day>/<id>/<which>.gz`. */
export const REQUEST_BODIES_PREFIX = 'bodies/';

/** The response-cache entries too large for a DynamoDB item (the DynamoDB backend). */
export const RESPONSE_CACHE_OBJECTS_PREFIX = 'cache/';

/** The longest a cache entry lives (`Cache-Control: max-age`), as Helicone allows: 365 days. */
export const MAX_CACHE_TTL_SECONDS = 365 * 24 * 60 * 60;
