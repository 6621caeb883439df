// A signed-in person's tokens as the apps keep them. Access tokens live minutes, so the session trades the
// refresh token for new ones — once at a time: refresh tokens rotate, and presenting a spent one ends the whole
// session (the API's reuse detection), so concurrent callers must share one refresh.
import { print } from "graphql";

import { RefreshTokenDocument, type RefreshTokenMutation, type TokensFragment } from "./__generated__/graphql.js";

/** Where an app keeps the tokens between launches (web: localStorage; React Native: secure storage). */
export interface TokenStorage {
  save(tokens: TokensFragment | null): void | Promise<void>;
}

export interface SessionOptions {
  /** The API's GraphQL endpoint. */
  uri: string;
  fetch?: typeof fetch;
  storage?: TokenStorage;
  /** Refresh this long before the access token expires (websockets authenticate once, at connect). */
  marginMs?: number;
  /** Extra headers on the refresh request (the platform's user agent, for instance). */
  headers?: Record<string, string>;
}

/** The refresh token was refused (expired, revoked, reused): the person has to sign in again. */
export class SessionEndedError extends Error {
  constructor(readonly reason: string) {
    super(`signed out: ${reason}`);
  }
}

export class Session {
  private tokens: TokensFragment | null = null;
  private refreshing: Promise<string> | null = null;
  /** How many times the tokens were renewed; apps may log it, tests assert on it. */
  refreshes = 0;

  constructor(private readonly options: SessionOptions) {}

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  /** The access token as it is now, possibly expired (the API then answers UNAUTHENTICATED). */
  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  /** When the current access token stops being accepted. */
  get accessTokenExpiresAt(): Date | null {
    return this.tokens ? new Date(this.tokens.accessTokenExpiresAt) : null;
  }

  async signIn(tokens: TokensFragment): Promise<void> {
    this.tokens = tokens;
    await this.options.storage?.save(tokens);
  }

  async signOut(): Promise<void> {
    this.tokens = null;
    await this.options.storage?.save(null);
  }

  /** An access token that will still be valid for `marginMs`, refreshing first if needed. */
  async freshAccessToken(): Promise<string | null> {
    if (!this.tokens) return null;
    const expiresAt = Date.parse(this.tokens.accessTokenExpiresAt);
    if (expiresAt - Date.now() > (this.options.marginMs ?? 2_000)) return this.tokens.accessToken;
    return this.refresh();
  }

  /** A token to retry with after `refused` was refused: the one a refresh already brought since it was sent
   * (a slow answer arriving after the refresh must not spend the new refresh token), else a shared refresh. */
  renewAfterRefusal(refused: string | null): Promise<string> {
    const current = this.tokens?.accessToken;
    if (current && refused && current !== refused && !this.refreshing) return Promise.resolve(current);
    return this.refresh();
  }

  /** New tokens for the refresh token we hold; concurrent callers wait for the same request. */
  refresh(): Promise<string> {
    this.refreshing ??= this.exchange().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async exchange(): Promise<string> {
    const spent = this.tokens?.refreshToken;
    if (!spent) throw new SessionEndedError("not signed in");
    const response = await (this.options.fetch ?? fetch)(this.options.uri, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json",
        ...this.options.headers },
      body: JSON.stringify({ query: print(RefreshTokenDocument), variables: { refreshToken: spent } }),
    });
    const body = (await response.json()) as { data?: RefreshTokenMutation | null; errors?: { message: string }[] };
    if (!body.data?.refreshToken) {
      await this.signOut();
      throw new SessionEndedError(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
    }
    this.refreshes += 1;
    await this.signIn(body.data.refreshToken);
    return body.data.refreshToken.accessToken;
  }
}
