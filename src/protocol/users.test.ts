import { describe, expect, it, vi } from "vitest";
import { createUserRegistry, DEFAULT_MAX_FAILED_LOGINS, type UserRegistryState } from "./users";
import { manualClock, userRegistrySuite } from "./users.suite";

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

userRegistrySuite("memory registry", (options) => {
  const registry = createUserRegistry({}, undefined, options);
  return { registry, reopen: async () => createUserRegistry(registry.snapshot(), undefined, options) };
});

describe("memory registry: state", () => {
  it("announces no change for refusals while locked out, so a flood of attempts writes nothing", async () => {
    const clock = manualClock();
    const onChange = vi.fn();
    const users = createUserRegistry({}, onChange, { now: clock.now });
    users.addUser("dstack");
    users.newLoginCode("dstack");
    for (let i = 0; i < DEFAULT_MAX_FAILED_LOGINS; i++) await users.verifyCode("dstack", "wrong");
    const changes = onChange.mock.calls.length;
    for (let i = 0; i < 100; i++) await users.verifyCode("dstack", "flood");
    expect(onChange.mock.calls.length).toBe(changes);
    // Nor for unknown users.
    await users.verifyCode("ghost", "x");
    expect(onChange.mock.calls.length).toBe(changes);
  });

  it("drops a 0.1 login code (a plain string without an expiry) when loading old state", async () => {
    const old = { users: { dstack: { token: "t", code: "0123456789abcdef" } }, shares: {} };
    const users = createUserRegistry(old as unknown as Partial<UserRegistryState>);
    expect(users.snapshot().users.dstack).toEqual({ token: "t" });
    expect(await users.verifyCode("dstack", "0123456789abcdef")).toBeUndefined();
  });

  it("reports revocations to onChange", async () => {
    const onChange = vi.fn();
    const users = createUserRegistry({}, onChange, { now: () => 5 });
    await users.revoke({ type: "stack", path: "a/bcd" });
    expect(onChange.mock.calls.at(-1)?.[0].revoked).toEqual({ "stack:a/bcd": 5 });
  });
});
