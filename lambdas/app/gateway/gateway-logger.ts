/** The CloudWatch log of the gateway function (Powertools' `Logger` in AWS and locally). */
export interface GatewayLogger {
  error(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}
