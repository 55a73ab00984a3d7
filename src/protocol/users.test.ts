import { describe, expect, it, vi } from "vitest";
import {
  createUserRegistry,
  DEFAULT_FAILED_LOGIN_WINDOW_MS,
  DEFAULT_LOGIN_CODE_TTL_MS,
  DEFAULT_MAX_FAILED_LOGINS,
  type UserRegistryState,
} from "./users";

describe("user registry", () => {
  it("gives each user one token, authenticates by it, and keeps it when the user is added again", async () => {
    const users = createUserRegistry();
    const alice = users.addUser("alice");
    expect(alice).toMatch(/^[0-9a-f-]{36}$/);
    expect(users.addUser("alice")).toBe(alice);
    expect(await users.authenticate(alice)).toBe("alice");
    expect(await users.authenticate("nope")).toBeUndefined();
    expect(() => users.addUser("no/slash")).toThrow(/user name/);
    // A new token replaces the old one.
    users.addUser("alice", { token: "fresh" });
    expect(await users.authenticate(alice)).toBeUndefined();
    expect(() => users.addUser("bob", { token: "fresh" })).toThrow(/another user/);
  });

  it("exchanges a login code once per code generation", async () => {
    const users = createUserRegistry();
    const token = users.addUser("dstack");
    const code = users.newLoginCode("dstack");
    expect(await users.verifyCode("dstack", code)).toBe(token);
    expect(await users.verifyCode("dstack", "wrong")).toBeUndefined();
    users.newLoginCode("dstack");
    expect(await users.verifyCode("dstack", code)).toBeUndefined();
  });

  it("shares and unshares resources, forgets deleted ones, and reports each change", async () => {
    const onChange = vi.fn();
    const users = createUserRegistry({}, onChange);
    users.addUser("alice");
    users.addUser("bob");
    const stack = { type: "stack", path: "alice/abc" } as const;
    const dashboard = { type: "dashboard", user: "alice", id: "abc" } as const;
    await users.share(stack, "bob");
    await users.share(stack, "bob");
    expect(await users.sharedWith(stack)).toEqual(["bob"]);
    expect(await users.sharedWith(dashboard)).toEqual([]);
    await expect(users.share(stack, "carol")).rejects.toThrow(/no such user/);
    await users.unshare(stack, "bob");
    expect(await users.sharedWith(stack)).toEqual([]);
    await users.share(dashboard, "bob");
    await users.forget(dashboard);
    expect(await users.sharedWith(dashboard)).toEqual([]);
    const state = onChange.mock.calls.at(-1)?.[0];
    expect(state.shares).toEqual({});
    // The snapshot restores the same registry.
    const again = createUserRegistry(users.snapshot());
    expect(await again.authenticate(users.tokenOf("bob") as string)).toBe("bob");
  });
});

/** A clock tests move by hand. */
function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

describe("login codes", () => {
  const HOUR = 60 * 60 * 1000;

  it("work once: a used code is refused, and so is a second use from a restored snapshot", async () => {
    const users = createUserRegistry();
    const token = users.addUser("dstack");
    const code = users.newLoginCode("dstack");
    expect(await users.verifyCode("dstack", code)).toBe(token);
    expect(await users.verifyCode("dstack", code)).toBeUndefined();
    expect(await createUserRegistry(users.snapshot()).verifyCode("dstack", code)).toBeUndefined();
  });

  it("expire after the default day, or a configured TTL", async () => {
    const clock = manualClock();
    const users = createUserRegistry({}, undefined, { now: clock.now });
    const token = users.addUser("dstack");
    const code = users.newLoginCode("dstack");
    clock.advance(DEFAULT_LOGIN_CODE_TTL_MS - 1);
    const restored = createUserRegistry(users.snapshot(), undefined, { now: clock.now });
    expect(await restored.verifyCode("dstack", code)).toBe(token);
    clock.advance(1);
    expect(await users.verifyCode("dstack", code)).toBeUndefined();
    expect(users.snapshot().users.dstack?.login).toBeUndefined(); // an expired code is dropped

    const short = createUserRegistry({}, undefined, { now: clock.now, loginCodeTtlMs: HOUR });
    short.addUser("bob");
    const bobCode = short.newLoginCode("bob");
    clock.advance(HOUR);
    expect(await short.verifyCode("bob", bobCode)).toBeUndefined();
  });

  it("after 5 failed attempts within 15 minutes, even the right code is refused until the window ends", async () => {
    const clock = manualClock();
    const onChange = vi.fn();
    const users = createUserRegistry({}, onChange, { now: clock.now });
    const token = users.addUser("dstack");
    users.addUser("bob");
    const code = users.newLoginCode("dstack");
    for (let i = 0; i < DEFAULT_MAX_FAILED_LOGINS; i++) {
      clock.advance(60_000);
      expect(await users.verifyCode("dstack", `wrong${i}`)).toBeUndefined();
    }
    expect(await users.verifyCode("dstack", code)).toBeUndefined();
    // The lockout is one user's: bob's attempts are his own.
    expect(await users.verifyCode("bob", "nope")).toBeUndefined();
    expect(users.snapshot().users.bob?.failedLogins?.count).toBe(1);
    // Refusals while locked out change nothing (a flood of them writes nothing).
    const changes = onChange.mock.calls.length;
    for (let i = 0; i < 100; i++) await users.verifyCode("dstack", "flood");
    expect(onChange.mock.calls.length).toBe(changes);
    // The lockout survives a restore of the state.
    const restored = createUserRegistry(users.snapshot(), undefined, { now: clock.now });
    expect(await restored.verifyCode("dstack", code)).toBeUndefined();
    // The window started at the first failure; once it has passed, the code works (once).
    clock.advance(DEFAULT_FAILED_LOGIN_WINDOW_MS - (DEFAULT_MAX_FAILED_LOGINS - 1) * 60_000 - 1);
    expect(await users.verifyCode("dstack", code)).toBeUndefined();
    clock.advance(1);
    expect(await users.verifyCode("dstack", code)).toBe(token);
    expect(users.snapshot().users.dstack?.failedLogins).toBeUndefined();
  });

  it("fewer failures than the limit leave the code usable; limits are configurable; a new code ends a lockout", async () => {
    const clock = manualClock();
    const users = createUserRegistry({}, undefined, { now: clock.now, maxFailedLogins: 2, failedLoginWindowMs: HOUR });
    const token = users.addUser("dstack");
    let code = users.newLoginCode("dstack");
    expect(await users.verifyCode("dstack", "x")).toBeUndefined();
    expect(await users.verifyCode("dstack", code)).toBe(token);
    code = users.newLoginCode("dstack");
    expect(await users.verifyCode("dstack", "x")).toBeUndefined();
    expect(await users.verifyCode("dstack", "y")).toBeUndefined();
    clock.advance(HOUR - 1);
    expect(await users.verifyCode("dstack", code)).toBeUndefined();
    code = users.newLoginCode("dstack");
    expect(await users.verifyCode("dstack", code)).toBe(token);
  });

  it("refuse unknown users and non-string codes without recording anything", async () => {
    const onChange = vi.fn();
    const users = createUserRegistry({ users: { dstack: { token: "t" } } }, onChange);
    expect(await users.verifyCode("ghost", "x")).toBeUndefined();
    expect(await users.verifyCode("dstack", undefined as unknown as string)).toBeUndefined();
    expect(onChange).toHaveBeenCalledTimes(1); // the failed attempt of dstack only
    expect(users.snapshot().users.ghost).toBeUndefined();
  });

  it("drop a 0.1 code (a plain string without an expiry) when loading old state", async () => {
    const old = { users: { dstack: { token: "t", code: "0123456789abcdef" } }, shares: {} };
    const users = createUserRegistry(old as unknown as Partial<UserRegistryState>);
    expect(await users.verifyCode("dstack", "0123456789abcdef")).toBeUndefined();
    expect(users.snapshot().users.dstack).toEqual({ token: "t", failedLogins: expect.any(Object) });
  });
});

describe("revocations", () => {
  const stack = { type: "stack", path: "alice/abc" } as const;
  const dashboard = { type: "dashboard", user: "alice", id: "d1" } as const;

  it("revoke records now; revokedAt gives the latest, per resource, and survives a snapshot", async () => {
    const clock = manualClock(1000);
    const onChange = vi.fn();
    const users = createUserRegistry({}, onChange, { now: clock.now });
    expect(await users.revokedAt(stack)).toBeUndefined();
    await users.revoke(stack);
    expect(await users.revokedAt(stack)).toBe(1000);
    expect(await users.revokedAt(dashboard)).toBeUndefined();
    clock.advance(500);
    await users.revoke(stack);
    expect(await users.revokedAt(stack)).toBe(1500);
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(onChange.mock.calls.at(-1)?.[0].revoked).toEqual({ "stack:alice/abc": 1500 });
    // A clock stepping back does not move a revocation back.
    clock.advance(-1000);
    await users.revoke(stack);
    expect(await users.revokedAt(stack)).toBe(1500);
    const restored = createUserRegistry(users.snapshot());
    expect(await restored.revokedAt(stack)).toBe(1500);
  });

  it("unshare and forget record a revocation", async () => {
    const clock = manualClock(2000);
    const users = createUserRegistry({}, undefined, { now: clock.now });
    users.addUser("alice");
    users.addUser("bob");
    await users.share(stack, "bob");
    await users.share(dashboard, "bob");
    expect(await users.revokedAt(stack)).toBeUndefined();
    clock.advance(10);
    await users.unshare(stack, "bob");
    expect(await users.revokedAt(stack)).toBe(2010);
    clock.advance(10);
    await users.forget(dashboard);
    expect(await users.revokedAt(dashboard)).toBe(2020);
    expect(await users.sharedWith(dashboard)).toEqual([]);
    // A deleted stack that was never shared still has its URLs revoked.
    clock.advance(10);
    await users.forget({ type: "stack", path: "alice/other" });
    expect(await users.revokedAt({ type: "stack", path: "alice/other" })).toBe(2030);
  });
});
