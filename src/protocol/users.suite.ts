// What every user registry does with login codes and revocations, run against the in-memory registry
// (users.test.ts) and the file-backed one (src/node/fileUserRegistry.test.ts), so the two behave the same.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_FAILED_LOGIN_WINDOW_MS,
  DEFAULT_LOGIN_CODE_TTL_MS,
  DEFAULT_MAX_FAILED_LOGINS,
  type MemoryUserRegistry,
  type UserRegistryOptions,
} from "./users";

export interface RegistryUnderTest {
  registry: MemoryUserRegistry;
  /** A new registry over what `registry` has recorded so far (a restored snapshot, or the file reopened). */
  reopen(): Promise<MemoryUserRegistry>;
}

/** A clock tests move by hand. */
export function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

const HOUR = 60 * 60 * 1000;

export function userRegistrySuite(label: string, open: (options: UserRegistryOptions) => RegistryUnderTest): void {
  describe(`${label}: login codes`, () => {
    it("work once, also for a registry opened after the use", async () => {
      const { registry, reopen } = open({});
      const token = registry.addUser("dstack");
      const code = registry.newLoginCode("dstack");
      expect(await registry.verifyCode("dstack", code)).toBe(token);
      expect(await registry.verifyCode("dstack", code)).toBeUndefined();
      expect(await (await reopen()).verifyCode("dstack", code)).toBeUndefined();
    });

    it("expire after the default day, or a configured TTL", async () => {
      const clock = manualClock();
      const { registry, reopen } = open({ now: clock.now });
      const token = registry.addUser("dstack");
      registry.addUser("bob");
      const code = registry.newLoginCode("dstack");
      const bobCode = registry.newLoginCode("bob", { expiresAt: clock.now() + HOUR });
      clock.advance(DEFAULT_LOGIN_CODE_TTL_MS - 1);
      expect(await (await reopen()).verifyCode("dstack", code)).toBe(token);
      expect(await registry.verifyCode("bob", bobCode)).toBeUndefined();

      const second = open({ now: clock.now, loginCodeTtlMs: HOUR }).registry;
      second.addUser("carol");
      const carolCode = second.newLoginCode("carol");
      clock.advance(HOUR);
      expect(await second.verifyCode("carol", carolCode)).toBeUndefined();
      expect(second.snapshot().users.carol?.login).toBeUndefined(); // an expired code is dropped
    });

    it("after 5 failed attempts within 15 minutes, even the right code is refused until the window ends", async () => {
      const clock = manualClock();
      const { registry, reopen } = open({ now: clock.now });
      const token = registry.addUser("dstack");
      registry.addUser("bob");
      const code = registry.newLoginCode("dstack");
      for (let i = 0; i < DEFAULT_MAX_FAILED_LOGINS; i++) {
        clock.advance(60_000);
        expect(await registry.verifyCode("dstack", `wrong${i}`)).toBeUndefined();
      }
      expect(await registry.verifyCode("dstack", code)).toBeUndefined();
      // The lockout is one user's: bob's attempts are his own.
      expect(await registry.verifyCode("bob", "nope")).toBeUndefined();
      expect(registry.snapshot().users.bob?.failedLogins?.count).toBe(1);
      // It holds for a registry opened later too.
      expect(await (await reopen()).verifyCode("dstack", code)).toBeUndefined();
      // The window started at the first failure; once it has passed, the code works (once).
      clock.advance(DEFAULT_FAILED_LOGIN_WINDOW_MS - (DEFAULT_MAX_FAILED_LOGINS - 1) * 60_000 - 1);
      expect(await registry.verifyCode("dstack", code)).toBeUndefined();
      clock.advance(1);
      expect(await registry.verifyCode("dstack", code)).toBe(token);
      expect(registry.snapshot().users.dstack?.failedLogins).toBeUndefined();
      expect(await registry.verifyCode("dstack", code)).toBeUndefined();
    });

    it("fewer failures than the limit leave the code usable; limits are configurable; a new code ends a lockout", async () => {
      const clock = manualClock();
      const { registry } = open({ now: clock.now, maxFailedLogins: 2, failedLoginWindowMs: HOUR });
      const token = registry.addUser("dstack");
      let code = registry.newLoginCode("dstack");
      expect(await registry.verifyCode("dstack", "x")).toBeUndefined();
      expect(await registry.verifyCode("dstack", code)).toBe(token);
      code = registry.newLoginCode("dstack");
      expect(await registry.verifyCode("dstack", "x")).toBeUndefined();
      expect(await registry.verifyCode("dstack", "y")).toBeUndefined();
      clock.advance(HOUR - 1);
      expect(await registry.verifyCode("dstack", code)).toBeUndefined();
      code = registry.newLoginCode("dstack");
      expect(await registry.verifyCode("dstack", code)).toBe(token);
    });

    it("refuse unknown users and non-string codes, recording nothing for unknown users", async () => {
      const { registry } = open({});
      registry.addUser("dstack");
      expect(await registry.verifyCode("ghost", "x")).toBeUndefined();
      expect(await registry.verifyCode("dstack", undefined as unknown as string)).toBeUndefined();
      expect(registry.snapshot().users.ghost).toBeUndefined();
      expect(registry.snapshot().users.dstack?.failedLogins?.count).toBe(1);
    });
  });

  describe(`${label}: revocations`, () => {
    const stack = { type: "stack", path: "alice/abc" } as const;
    const dashboard = { type: "dashboard", user: "alice", id: "d1" } as const;

    it("revoke records now; revokedAt gives the latest, per resource, also after a reopen", async () => {
      const clock = manualClock(1000);
      const { registry, reopen } = open({ now: clock.now });
      expect(await registry.revokedAt(stack)).toBeUndefined();
      await registry.revoke(stack);
      expect(await registry.revokedAt(stack)).toBe(1000);
      expect(await registry.revokedAt(dashboard)).toBeUndefined();
      clock.advance(500);
      await registry.revoke(stack);
      expect(await registry.revokedAt(stack)).toBe(1500);
      // A clock stepping back does not move a revocation back.
      clock.advance(-1000);
      await registry.revoke(stack);
      expect(await registry.revokedAt(stack)).toBe(1500);
      expect(registry.snapshot().revoked).toEqual({ "stack:alice/abc": 1500 });
      expect(await (await reopen()).revokedAt(stack)).toBe(1500);
    });

    it("unshare and forget record a revocation", async () => {
      const clock = manualClock(2000);
      const { registry, reopen } = open({ now: clock.now });
      registry.addUser("alice");
      registry.addUser("bob");
      await registry.share(stack, "bob");
      await registry.share(dashboard, "bob");
      expect(await registry.revokedAt(stack)).toBeUndefined();
      clock.advance(10);
      await registry.unshare(stack, "bob");
      expect(await registry.revokedAt(stack)).toBe(2010);
      expect(await registry.sharedWith(stack)).toEqual([]);
      clock.advance(10);
      await registry.forget(dashboard);
      expect(await registry.revokedAt(dashboard)).toBe(2020);
      expect(await registry.sharedWith(dashboard)).toEqual([]);
      // A deleted stack that was never shared still has its URLs revoked.
      clock.advance(10);
      const other = { type: "stack", path: "alice/other" } as const;
      await registry.forget(other);
      expect(await registry.revokedAt(other)).toBe(2030);
      const reopened = await reopen();
      expect(await reopened.revokedAt(stack)).toBe(2010);
      expect(await reopened.revokedAt(dashboard)).toBe(2020);
      expect(await reopened.revokedAt(other)).toBe(2030);
      expect(await reopened.sharedWith(dashboard)).toEqual([]);
    });
  });
}
