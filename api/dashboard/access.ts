/**
 * Who may see the dashboard.
 *
 * - A secret is configured (SOP_DASHBOARD_SECRET, else SOP_API_TOKEN): everyone signs in, on
 *   every address, loopback included. The session is a signed, HttpOnly cookie holding only its
 *   expiry; the signing key is derived from the secret, so changing the secret signs everyone out.
 * - No secret: the dashboard is open to the local user only, that is a request that reached us
 *   over loopback, not through a proxy (no Forwarded/X-Forwarded-For), for a loopback host name
 *   (which also defeats DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends
 *   `Host: evil.example`). Anything else is refused with a page saying how to set a secret. We
 *   refuse rather than serve with a warning: a server bound to 0.0.0.0 without a secret would
 *   otherwise show the company's numbers to anyone who can reach the port.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { getSignedCookie, setSignedCookie } from "hono/cookie";

export const SESSION_COOKIE = "sop_session";
/** How long a sign-in lasts, in seconds (a working week and a weekend). */
export const SESSION_SECONDS = 7 * 24 * 60 * 60;

export interface AccessPolicy {
  /** The sign-in secret; undefined means "open to the local user only". */
  secret: string | undefined;
  /** Whether cookies get the Secure attribute (the public URL is https). */
  secureCookies: boolean;
  /** Seconds since the epoch; a parameter so tests can move the clock. */
  nowSeconds: () => number;
}

/** The session signing key: derived from the secret, never the secret itself. */
function sessionKey(secret: string): string {
  return createHmac("sha256", secret).update("sop dashboard session v1").digest("hex");
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Constant-time comparison of what was typed with the secret (hashed first: equal lengths). */
export function secretMatches(given: string, secret: string): boolean {
  return timingSafeEqual(digest(given), digest(secret));
}

/** Sets the session cookie after a successful sign-in. */
export async function startSession(c: Context, policy: AccessPolicy & { secret: string }): Promise<void> {
  const expires = policy.nowSeconds() + SESSION_SECONDS;
  await setSignedCookie(c, SESSION_COOKIE, String(expires), sessionKey(policy.secret), {
    httpOnly: true,
    sameSite: "Lax",
    secure: policy.secureCookies,
    path: "/",
    maxAge: SESSION_SECONDS,
  });
}

/** Clears the session cookie. */
export function endSession(c: Context, policy: AccessPolicy): void {
  c.header(
    "set-cookie",
    `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${policy.secureCookies ? "; Secure" : ""}`,
    { append: true },
  );
}

/** Whether the request carries a valid, unexpired session for the configured secret. */
export async function hasSession(c: Context, policy: AccessPolicy): Promise<boolean> {
  if (!policy.secret) return false;
  const value = await getSignedCookie(c, sessionKey(policy.secret), SESSION_COOKIE);
  if (typeof value !== "string" || !/^\d{1,12}$/.test(value)) return false;
  return Number(value) > policy.nowSeconds();
}

/** The key of the local user's form tokens (no secret): new each start, never leaves the process. */
const LOCAL_FORM_KEY = randomBytes(32).toString("hex");

/**
 * The form token of a page (CSRF): a page of ours puts it in every form that writes, and a
 * write must carry it back. Another site cannot read our pages, so it cannot forge it. With a
 * secret it is bound to the session (its expiry, signed with the secret's key): a new sign-in
 * or a new secret gives new tokens. Without one, the local user's token lasts until a restart.
 */
export async function formToken(c: Context, policy: AccessPolicy): Promise<string | undefined> {
  if (!policy.secret) return createHmac("sha256", LOCAL_FORM_KEY).update("sop form v1").digest("base64url");
  const key = sessionKey(policy.secret);
  const session = await getSignedCookie(c, key, SESSION_COOKIE);
  if (typeof session !== "string" || !/^\d{1,12}$/.test(session)) return undefined;
  return createHmac("sha256", key).update(`sop form v1|${session}`).digest("base64url");
}

/** Whether a posted form token is this request's (constant time). */
export async function formTokenMatches(c: Context, policy: AccessPolicy, given: unknown): Promise<boolean> {
  const expected = await formToken(c, policy);
  if (expected === undefined || typeof given !== "string" || given.length === 0) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * A write from one of our own pages, by what the browser says: no Origin naming another site
 * (an Origin of "null" is refused) and no Sec-Fetch-Site other than same-origin. The form
 * token is the second lock, for browsers that send neither.
 */
export function sameOriginWrite(c: Context): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin") return false;
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  try {
    return origin !== "null" && new URL(origin).host === c.req.header("host");
  } catch {
    return false;
  }
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^::ffff:/, "");
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** A Host header naming this machine: localhost, *.localhost, 127.x.y.z or [::1], any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host
    .toLowerCase()
    .replace(/:\d+$/, "")
    .replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || name.endsWith(".localhost") || name === "::1" || isLoopbackAddress(name);
}

/** Whether the request comes from a user on this machine, directly (no proxy in between). */
export function isLocalRequest(c: Context): boolean {
  if (c.req.header("forwarded") || c.req.header("x-forwarded-for")) return false;
  if (!isLoopbackHost(c.req.header("host"))) return false;
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    // In-process requests (app.request) have no socket: not provably local.
    return false;
  }
  return isLoopbackAddress(address);
}

/** Whether a bound host name is loopback only (for the start-up warning). */
export function isLoopbackBind(host: string): boolean {
  return isLoopbackHost(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
}

/**
 * A local path to return to after signing in: only "/…" on this origin (never "//host" or a
 * scheme), else "/". The fragment is carried separately by the sign-in form.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (/\p{Cc}/u.test(next) || next.length > 2000) return "/";
  return next;
}

/** A fragment from the sign-in form (`#gaps`): letters, digits, - and _ only. */
export function safeFragment(hash: string | undefined): string {
  const h = (hash ?? "").replace(/^#/, "");
  return /^[\w-]{1,64}$/.test(h) ? `#${h}` : "";
}

/**
 * Failed sign-ins per client address: after `limit` failures within `windowMs`, further
 * attempts are refused until the window passes. Keeps guessing the secret slow.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds to wait before trying again, or 0 when an attempt is allowed now. */
  retryAfter(key: string, now = Date.now()): number {
    const f = this.failures.get(key);
    if (!f || f.resetAt <= now) return 0;
    return f.count >= this.limit ? f.resetAt - now : 0;
  }

  fail(key: string, now = Date.now()): void {
    const f = this.failures.get(key);
    if (!f || f.resetAt <= now) this.failures.set(key, { count: 1, resetAt: now + this.windowMs });
    else f.count++;
    if (this.failures.size > 10_000) {
      for (const [k, v] of this.failures) if (v.resetAt <= now) this.failures.delete(k);
    }
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}

/** The client's address for throttling (the socket's; "in-process" when there is none). */
export function clientKey(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "in-process";
  }
}
