/** The dashboard's access rules as pure functions: who is local, where a sign-in may return to, throttling. */
import { describe, expect, it } from "vitest";
import {
  isLoopbackAddress,
  isLoopbackBind,
  isLoopbackHost,
  SignInThrottle,
  safeFragment,
  safeNext,
  secretMatches,
} from "../../../api/dashboard/access.js";

describe("who is on this machine", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["192.0.2.2", false],
    ["10.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["fd00::2", false],
    ["1270.0.0.1", false],
    [undefined, false],
    ["", false],
  ])("address %s → %s", (address, local) => {
    expect(isLoopbackAddress(address)).toBe(local);
  });

  it.each([
    ["localhost:3000", true],
    ["LOCALHOST", true],
    ["app.localhost:3000", true],
    ["127.0.0.1:3000", true],
    ["[::1]:3000", true],
    ["localhost.evil.example", false],
    ["evil.example", false],
    ["127.0.0.1.nip.io", false],
    ["192.0.2.2:3000", false],
    [undefined, false],
  ])("Host %s → %s", (host, local) => {
    expect(isLoopbackHost(host)).toBe(local);
  });

  it.each([
    ["127.0.0.1", true],
    ["localhost", true],
    ["::1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.0.2.2", false],
  ])("binding %s is loopback only: %s", (host, loopback) => {
    expect(isLoopbackBind(host)).toBe(loopback);
  });
});

describe("where a sign-in returns to", () => {
  it.each([
    ["/risk?family=BOTTLES", "/risk?family=BOTTLES"],
    ["/skus/BLT%20100", "/skus/BLT%20100"],
    [undefined, "/"],
    ["", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["/risk\r\nSet-Cookie: x=1", "/"],
    [`/${"a".repeat(2001)}`, "/"],
  ])("next %j → %j", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it.each([
    ["#gaps", "#gaps"],
    ["gaps", "#gaps"],
    ["#excess_2", "#excess_2"],
    ["", ""],
    [undefined, ""],
    ['#x"><script>', ""],
    [`#${"a".repeat(65)}`, ""],
  ])("fragment %j → %j", (hash, expected) => {
    expect(safeFragment(hash)).toBe(expected);
  });
});

describe("the secret", () => {
  it("matches only itself, whatever the lengths", () => {
    expect(secretMatches("correct horse battery", "correct horse battery")).toBe(true);
    expect(secretMatches("correct horse batter", "correct horse battery")).toBe(false);
    expect(secretMatches("", "correct horse battery")).toBe(false);
    expect(secretMatches("correct horse battery!", "correct horse battery")).toBe(false);
  });
});

describe("sign-in throttling", () => {
  it("allows `limit` failures per window, then makes the client wait until the window ends", () => {
    const t = new SignInThrottle(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfter("a", t0 + i)).toBe(0);
      t.fail("a", t0 + i);
    }
    expect(t.retryAfter("a", t0 + 10)).toBe(60_000 - 10);
    expect(t.retryAfter("b", t0 + 10)).toBe(0);
    expect(t.retryAfter("a", t0 + 60_000)).toBe(0);
  });

  it("forgets a client's failures when it signs in", () => {
    const t = new SignInThrottle(2, 60_000);
    t.fail("a", 0);
    t.succeed("a");
    t.fail("a", 1);
    expect(t.retryAfter("a", 2)).toBe(0);
  });
});
