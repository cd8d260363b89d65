import { createClient, type MlrpcClient } from '@mlrpc/client';

const apiKeyStorageKey = 'mlrpc.apiKey';

/**
 * The typed client for the server that served this page (same origin, so no CORS), rebuilt when
 * the API key changes; panels read `client` at call time so they always use the current key.
 */
export class Connection {
  client: MlrpcClient;

  constructor() {
    this.client = this.build();
  }

  get apiKey(): string {
    return window.localStorage.getItem(apiKeyStorageKey) ?? '';
  }

  /** Kept in this browser's local storage, so a reload keeps working against a server with auth. */
  setApiKey(apiKey: string): void {
    if (apiKey) window.localStorage.setItem(apiKeyStorageKey, apiKey);
    else window.localStorage.removeItem(apiKeyStorageKey);
    this.client = this.build();
  }

  private build(): MlrpcClient {
    const apiKey = this.apiKey;
    return createClient({ url: window.location.origin, ...(apiKey ? { apiKey } : {}) });
  }
}
