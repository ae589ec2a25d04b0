/**
 * Where an SDK's base URL ends on the gateway, written once for the CDK outputs, the `npm start`
 * banner and the provider registry's formats. Every provider route is `/<provider>/v1/*`, but the
 * SDKs split the path differently: OpenAI's (and the compatible ones) append what follows `/v1`
 * (`/chat/completions`), so `/v1` belongs in the base URL; Anthropic's appends `/v1/messages`
 * itself, so its base URL stops at the provider.
 */

/** What each SDK's base URL holds after `/<provider>`, by the provider the SDK is made for. */
const pathAfterProvider = {
  openai: '/v1',
  anthropic: '',
} as const;

/** An SDK Lookout serves, named by the provider it is made for. */
export type ProviderSdk = keyof typeof pathAfterProvider;

/**
 * The SDK a provider's clients use: the one named like the provider, else OpenAI's, because every
 * other provider Lookout routes to (Groq, Together, a local server) speaks OpenAI's format.
 */
export function providerSdk(providerName: string): ProviderSdk {
  return Object.hasOwn(pathAfterProvider, providerName) ? (providerName as ProviderSdk) : 'openai';
}

/** The gateway path a provider's SDK base URL ends with: `/openai/v1`, `/anthropic`, `/groq/v1`. */
export function providerSdkBasePath(providerName: string): string {
  return `/${providerName}${pathAfterProvider[providerSdk(providerName)]}`;
}
