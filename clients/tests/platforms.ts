// The two kinds of device the apps run on, as the API sees them. A web page: its fetch sends the Origin, keeps a
// cookie jar and refuses any response CORS does not allow (preflighting requests a browser would); its socket
// sends the Origin too. A React Native app: no Origin, no cookies, okhttp's user agent, and a network that can go
// away — fetch then fails with React Native's own TypeError and sockets drop.
import { createHash } from "node:crypto";

import WebSocket from "ws";

import { webCryptoSha256 } from "../src/client.js";

export interface Platform {
  name: string;
  fetch: typeof fetch;
  headers: Record<string, string>;
  webSocketImpl: unknown;
  sha256: (text: string) => Promise<string>;
  /** Every socket opened, in order, with the connection_init payload it sent. */
  sockets: Array<{ socket: WebSocket; init: Record<string, unknown> | null }>;
  /** Every request as it left the device. */
  requests: Array<{ method: string; headers: Headers }>;
  /** Every response's Set-Cookie values. */
  setCookies: string[];
}

export interface MobilePlatform extends Platform {
  /** Loses the network: fetch fails and open sockets drop (as when a phone enters a tunnel). */
  goOffline(): void;
  goOnline(): void;
}

/** Records connection_init's payload: where the apps' socket carries the access token. */
function recordInit(socket: WebSocket, entry: Platform["sockets"][number]): void {
  const send = socket.send.bind(socket);
  socket.send = ((data: unknown, ...rest: unknown[]) => {
    const message = JSON.parse(String(data)) as { type?: string; payload?: Record<string, unknown> };
    if (message.type === "connection_init") entry.init = message.payload ?? {};
    return (send as (...args: unknown[]) => void)(data, ...rest);
  }) as typeof socket.send;
}

const SAFELISTED = new Set(["accept", "accept-language", "content-language"]);
const SIMPLE_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

/** The headers that make a browser send a CORS preflight first. */
function unsafeHeaders(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => !SAFELISTED.has(name) &&
    !(name === "content-type" && SIMPLE_TYPES.some((type) => headers.get(name)?.startsWith(type))));
}

export function webBrowser(origin = "http://localhost:3000"): Platform {
  const jar = new Map<string, string>();
  const platform: Platform = {
    name: "web (browser)",
    headers: {},
    sha256: webCryptoSha256,
    sockets: [],
    requests: [],
    setCookies: [],
    webSocketImpl: class BrowserSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { origin });
        const entry = { socket: this, init: null };
        platform.sockets.push(entry);
        recordInit(this, entry);
      }
    },
    fetch: async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const method = init?.method ?? "GET";
      const headers = new Headers(init?.headers);
      const cross = new URL(url).origin !== origin;
      const unsafe = unsafeHeaders(headers);
      if (cross && (unsafe.length > 0 || !["GET", "HEAD", "POST"].includes(method))) {
        const preflight = await fetch(url, { method: "OPTIONS", headers: {
          origin, "access-control-request-method": method, "access-control-request-headers": unsafe.join(",") } });
        const allowed = (preflight.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/,\s*/);
        if (!preflight.ok || preflight.headers.get("access-control-allow-origin") !== origin ||
            !unsafe.every((name) => allowed.includes(name))) {
          throw new TypeError(`Failed to fetch: CORS preflight refused ${method} ${url} with ${unsafe}`);
        }
      }
      headers.set("origin", origin);
      if (jar.size) headers.set("cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "));
      platform.requests.push({ method, headers });
      const response = await fetch(url, { ...init, headers });
      for (const cookie of response.headers.getSetCookie()) {
        platform.setCookies.push(cookie);
        const [pair = ""] = cookie.split(";");
        const [name = "", value = ""] = pair.split("=");
        jar.set(name.trim(), value.trim());
      }
      if (cross && response.headers.get("access-control-allow-origin") !== origin) {
        throw new TypeError(`Failed to fetch: ${url} does not allow the origin ${origin}`);
      }
      return response;
    },
  };
  return platform;
}

export function reactNative(): MobilePlatform {
  let online = true;
  const userAgent = "okhttp/4.12.0";
  const platform: MobilePlatform = {
    name: "React Native",
    headers: { "user-agent": userAgent },
    // Hermes has no WebCrypto: React Native apps bring their own SHA-256.
    sha256: async (text) => createHash("sha256").update(text).digest("hex"),
    sockets: [],
    requests: [],
    setCookies: [],
    webSocketImpl: class NativeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        // Offline, the connection attempt fails the way it does on a phone: refused, then closed (1006).
        super(online ? url : "ws://127.0.0.1:9/", protocols, { headers: { "user-agent": userAgent } });
        const entry = { socket: this, init: null };
        platform.sockets.push(entry);
        recordInit(this, entry);
      }
    },
    fetch: async (input, init) => {
      if (!online) throw new TypeError("Network request failed");
      const headers = new Headers(init?.headers);
      platform.requests.push({ method: init?.method ?? "GET", headers });
      const response = await fetch(input, { ...init, headers });
      platform.setCookies.push(...response.headers.getSetCookie());
      return response;
    },
    goOffline() {
      online = false;
      for (const { socket } of platform.sockets) socket.terminate();
    },
    goOnline() {
      online = true;
    },
  };
  return platform;
}
