// The Apollo Client every Migratio front end starts from: bearer token, automatic persisted queries with
// hashed queries sent as GET (so a CDN can cache anonymous answers), and the API's error codes.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

export interface MigratioClientOptions {
  /** The API's GraphQL endpoint, e.g. https://api.example.com/graphql */
  uri: string;
  /** The current access token, read before each request; none sends the request anonymously. */
  token?: () => string | null | undefined;
  /** Defaults to the global fetch; tests pass a spy, React Native its own. */
  fetch?: typeof fetch;
  /** Hex SHA-256 of the query text; defaults to WebCrypto (browsers, Node). React Native passes its own. */
  sha256?: (text: string) => Promise<string>;
  /** Extra headers on every request (e.g. `accept` to choose the response media type). */
  headers?: Record<string, string>;
}

export async function webCryptoSha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function createMigratioClient(options: MigratioClientOptions): ApolloClient {
  const auth = new SetContextLink((previous) => {
    const token = options.token?.();
    return token ? { headers: { ...previous.headers, authorization: `Bearer ${token}` } } : {};
  });
  const persisted = new PersistedQueryLink({
    sha256: options.sha256 ?? webCryptoSha256,
    useGETForHashedQueries: true,
  });
  const http = new HttpLink({
    uri: options.uri,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  return new ApolloClient({ link: ApolloLink.from([auth, persisted, http]), cache: new InMemoryCache() });
}

/** The `extensions.code` of each GraphQL error (UNAUTHENTICATED, BAD_USER_INPUT, …), for branching on. */
export function errorCodes(errors: ReadonlyArray<{ extensions?: Record<string, unknown> | undefined }>): string[] {
  return errors.map((error) => String(error.extensions?.["code"] ?? "INTERNAL"));
}
