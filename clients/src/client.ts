// The Apollo Client every Migratio front end starts from: bearer token from the session (refreshed and the
// operation retried when the API says UNAUTHENTICATED), automatic persisted queries with hashed queries sent as GET
// (so a CDN can cache anonymous answers), idempotent operations retried through network drops, and
// subscriptions over a graphql-ws socket that authenticates in connectionParams and reconnects by itself.
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { RetryLink } from "@apollo/client/link/retry";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { type Client as SocketClient, createClient as createSocketClient } from "graphql-ws";
import { catchError, from, of, switchMap } from "rxjs";

import { type Session, SessionEndedError } from "./session.js";

export interface MigratioClientOptions {
  /** The API's GraphQL endpoint, e.g. https://api.example.com/graphql */
  uri: string;
  /** The signed-in person's tokens; none sends every request anonymously. */
  session?: Session;
  /** Defaults to the global fetch; tests pass a spy, React Native its own. */
  fetch?: typeof fetch;
  /** Hex SHA-256 of the query text; defaults to WebCrypto (browsers, Node). React Native passes its own. */
  sha256?: (text: string) => Promise<string>;
  /** Extra headers on every HTTP request (e.g. `accept` to choose the response media type). */
  headers?: Record<string, string>;
  /** A WebSocket constructor for subscriptions (the global one in browsers and React Native). */
  webSocketImpl?: unknown;
}

export interface MigratioClient {
  apollo: ApolloClient;
  /** The subscription socket, or null when no WebSocket implementation is available. */
  socket: SocketClient | null;
  /** Closes the socket and stops the client. */
  stop(): Promise<void>;
}

/** Tries of an idempotent operation through network failures: with the backoff, about 15 s — a phone losing
 * signal briefly. */
const NETWORK_ATTEMPTS = 8;

/** Mutations a client may safely send twice: the second one stores the same thing again. */
const IDEMPOTENT_MUTATIONS = new Set(["AnswerQuestion"]);

export async function webCryptoSha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The `extensions.code` of each GraphQL error (UNAUTHENTICATED, BAD_USER_INPUT, …), for branching on. */
export function errorCodes(errors: ReadonlyArray<{ extensions?: Record<string, unknown> | undefined }>): string[] {
  return errors.map((error) => String(error.extensions?.["code"] ?? "INTERNAL"));
}

function websocketUrl(uri: string): string {
  return uri.replace(/^http/, "ws");
}

/** Once per operation: a token refreshed for this operation that still fails means the session is over. When
 * the refresh itself is refused the session signs out and the app gets the original UNAUTHENTICATED answer. */
function refreshOnUnauthenticated(session: Session): ErrorLink {
  return new ErrorLink(({ error, result, operation, forward }) => {
    if (!CombinedGraphQLErrors.is(error) || !errorCodes(error.errors).includes("UNAUTHENTICATED")) return;
    if (!result || !session.signedIn || operation.getContext()["refreshed"]) return;
    const sent = (operation.getContext()["headers"] as Record<string, string> | undefined)?.["authorization"];
    return from(session.renewAfterRefusal(sent?.replace(/^Bearer /, "") ?? null)).pipe(
      switchMap(() => {
        operation.setContext({ refreshed: true });
        return forward(operation);
      }),
      catchError((refused: unknown) => {
        if (refused instanceof SessionEndedError) return of(result);
        throw refused;
      }),
    );
  });
}

function retryNetworkFailures(attempts: number): RetryLink {
  return new RetryLink({
    delay: { initial: 250, max: 4_000, jitter: true },
    attempts: {
      max: attempts,
      retryIf: (error, operation) =>
        !CombinedGraphQLErrors.is(error) &&
        (operation.operationType === OperationTypeNode.QUERY ||
          IDEMPOTENT_MUTATIONS.has(operation.operationName ?? "")),
    },
  });
}

function subscriptionSocket(options: MigratioClientOptions): SocketClient | null {
  const impl = options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
  if (!impl) return null;
  return createSocketClient({
    url: websocketUrl(options.uri),
    webSocketImpl: impl,
    lazy: true,
    // Read at every (re)connect: a socket that reconnects after an hour must not present an expired token.
    connectionParams: async () => {
      const token = await options.session?.freshAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 5_000)));
    },
    keepAlive: 10_000,
  });
}

export function createMigratioClient(options: MigratioClientOptions): MigratioClient {
  const session = options.session;
  const auth = new SetContextLink((previous) => {
    const token = session?.accessToken;
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
  const overHttp = ApolloLink.from([
    ...(session ? [refreshOnUnauthenticated(session)] : []),
    retryNetworkFailures(NETWORK_ATTEMPTS),
    auth,
    persisted,
    http,
  ]);
  const socket = subscriptionSocket(options);
  const link = socket
    ? ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
      new GraphQLWsLink(socket), overHttp)
    : overHttp;
  const apollo = new ApolloClient({ link, cache: new InMemoryCache() });
  return {
    apollo,
    socket,
    async stop() {
      apollo.stop();
      await socket?.dispose();
    },
  };
}
