import { parseMonitoringHeaders, type RequestHeaderMap } from '../headers/monitoring-headers.js';

const BEARER = /^bearer +([\x21-\x7e]+)$/i;

/**
 * The gateway key presented to the query API: `Lookout-Auth` / `Helicone-Auth` as on the gateway,
 * else `Authorization: Bearer <key>`, which Helicone's own REST API uses and which the query API
 * (unlike the gateway) never has to forward to a provider. Only the auth headers are parsed, so a
 * stray monitoring header on a read call cannot turn it into a 400.
 */
export function queryApiKey(headers: RequestHeaderMap): string | null {
  const { gatewayKey } = parseMonitoringHeaders({ 'lookout-auth': headers['lookout-auth'], 'helicone-auth': headers['helicone-auth'] });
  if (gatewayKey !== null) return gatewayKey;
  return BEARER.exec(headers.authorization?.trim() ?? '')?.[1] ?? null;
}
