// What an attacker or a careless client can do to the server, and what it answers: pushed bytes served inert,
// download links that die with access, racing upload retries, capped unfinished pushes, bad timestamps, bad
// Host headers and methods, and bodies that stall.
import { connect } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestServer } from "./testing/testServer";

const t = setupTestServer({ inlineBytes: 1, maxOpenPushes: 3, maxOpenPushBytes: 4_000_000 });
// Short deadlines on a server of their own, so no other test's request can be cut off by them on a busy machine.
const strict = setupTestServer({ bodyIdleTimeoutMs: 300, headersTimeoutMs: 400 });
let alice = "";
let bob = "";

beforeAll(() => {
  alice = t.server.addUser("alice");
  bob = t.server.addUser("bob");
});

const b64 = (text: string) => Buffer.from(text).toString("base64");
const html = `<!doctype html><script>fetch("/api/users/me")</script>${"<p>padding</p>".repeat(10)}`;

async function pushOne(stack: string, id: string, body: string, extra: Record<string, unknown> = {}) {
  const attachment = { data: b64(body), content_type: "text/plain", ...extra };
  const result = await t.api("POST", "/stacks/push", { token: alice, json: { stack, id, attachments: [attachment] } });
  expect(result.status, result.text).toBe(200);
}

async function downloadUrl(stack: string, id: string, token: string | null = alice): Promise<string> {
  const result = await t.api("GET", `/attachs/${stack}/${id}/0?download=true`, { token });
  expect(result.status, result.text).toBe(200);
  return (result.body.attachment as { download_url: string }).download_url;
}

describe("pushed bytes are served inert", () => {
  it("HTML, SVG and unknown types download with a sandbox CSP and nosniff; inert types show inline", async () => {
    const cases = [
      { type: "text/html", disposition: /^attachment; filename="page-0.html"/, served: "text/html" },
      { type: "image/svg+xml", disposition: /^attachment; filename="page-0.svg"/, served: "image/svg+xml" },
      { type: "application/x-unknown", disposition: /^attachment;/, served: "application/x-unknown" },
      { type: "text/html\r\nx-evil: 1", disposition: /^attachment;/, served: "application/octet-stream" },
      { type: "text/plain", disposition: /^inline; filename="page-0.txt"/, served: "text/plain; charset=utf-8" },
      { type: "image/png", disposition: /^inline; filename="page-0.png"/, served: "image/png" },
    ];
    for (const [k, c] of cases.entries()) {
      await pushOne("alice/page", `f${k}`, html, { content_type: c.type });
      const response = await fetch(await downloadUrl("alice/page", `f${k}`));
      expect(response.status, c.type).toBe(200);
      expect(response.headers.get("content-type"), c.type).toBe(c.served);
      expect(response.headers.get("content-disposition"), c.type).toMatch(c.disposition);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toMatch(/^sandbox;.*default-src 'none'/);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      expect(await response.text()).toBe(html);
    }
  });

  it("uses the pushed file name, made safe for the header", async () => {
    await pushOne("alice/named", "f", "x,y", {
      content_type: "text/csv",
      settings: { filename: '../../etc/"quoted" résumé.csv' },
    });
    const response = await fetch(await downloadUrl("alice/named", "f"));
    expect(response.headers.get("content-disposition")).toBe(
      `inline; filename="quoted_r_sum_.csv"; filename*=UTF-8''%22quoted%22%20r%C3%A9sum%C3%A9.csv`,
    );
  });

  it("every API answer carries nosniff and a sandbox CSP", async () => {
    for (const path of ["/stacks/alice", "/stacks/alice/nothing-here", "/no-such-route"]) {
      const response = await fetch(`${t.server.apiUrl}${path}`, { headers: { authorization: `Bearer ${alice}` } });
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("content-security-policy"), path).toMatch(/^sandbox;/);
      expect(response.headers.get("cross-origin-resource-policy"), path).toBe("same-origin");
    }
  });
});

describe("download links die with access", () => {
  it("when the stack turns private, for a viewer who could read it while it was public", async () => {
    await pushOne("alice/turns-private", "f", "public for now");
    const url = await downloadUrl("alice/turns-private", "f", bob);
    expect((await fetch(url)).status).toBe(200);
    await t.api("POST", "/stacks/update", { token: alice, json: { stack: "alice/turns-private", private: true } });
    expect((await fetch(url)).status).toBe(404);
    // Public again: links issued before the change stay dead, new ones work.
    await t.api("POST", "/stacks/update", { token: alice, json: { stack: "alice/turns-private", private: false } });
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(await downloadUrl("alice/turns-private", "f", bob))).status).toBe(200);
  });

  it("when a share is revoked", async () => {
    await pushOne("alice/shared", "f", "for bob");
    await t.api("POST", "/stacks/update", { token: alice, json: { stack: "alice/shared", private: true } });
    const share = { path: "alice/shared", user: "bob" };
    expect((await t.api("POST", "/permissions/add", { token: alice, json: share })).status).toBe(200);
    const url = await downloadUrl("alice/shared", "f", bob);
    expect(await (await fetch(url)).text()).toBe("for bob");
    expect((await t.api("POST", "/permissions/delete", { token: alice, json: share })).status).toBe(200);
    expect((await fetch(url)).status).toBe(404);
    // Shared again: the old link stays revoked.
    await t.api("POST", "/permissions/add", { token: alice, json: share });
    expect((await fetch(url)).status).toBe(403);
  });

  it("never serve the bytes of a stack deleted and re-created under the same name and frame id", async () => {
    await pushOne("alice/recreated", "same-id", "old bytes");
    const url = await downloadUrl("alice/recreated", "same-id");
    expect(await (await fetch(url)).text()).toBe("old bytes");
    await t.api("POST", "/stacks/delete", { token: alice, json: { stack: "alice/recreated" } });
    await pushOne("alice/recreated", "same-id", "new bytes");
    const stale = await fetch(url);
    expect(stale.status).toBe(403);
    expect(await stale.text()).not.toContain("new bytes");
    expect(await (await fetch(await downloadUrl("alice/recreated", "same-id"))).text()).toBe("new bytes");
  });

  it("a link cannot be moved to another viewer or time", async () => {
    await pushOne("alice/moved", "f", "mine");
    const url = new URL(await downloadUrl("alice/moved", "f", bob));
    for (const [key, value] of [
      ["by", "alice"],
      ["by", "*"],
      ["iat", String(Number(url.searchParams.get("iat")) + 1)],
    ] as const) {
      const changed = new URL(url);
      changed.searchParams.set(key, value);
      expect((await fetch(changed)).status, key).toBe(403);
    }
  });
});

/** Starts a push of one attachment sent by upload_url; returns that URL. */
async function announce(stack: string, id: string, length: number): Promise<string> {
  const result = await t.api("POST", "/stacks/push", {
    token: alice,
    json: { stack, id, attachments: [{ length, content_type: "application/octet-stream" }] },
  });
  expect(result.status, result.text).toBe(200);
  return (result.body.attachments as Array<{ upload_url: string }>)[0]?.upload_url as string;
}

describe("uploads", () => {
  it("two PUTs racing to one upload_url (a retry overlapping its original) never answer 500", async () => {
    const bytes = new Uint8Array(256 * 1024).map((_, i) => i % 251);
    const statuses: number[] = [];
    for (let round = 0; round < 20; round++) {
      const url = await announce("alice/race", `r${round}`, bytes.length);
      const put = () =>
        fetch(url, { method: "PUT", body: bytes }).then(async (r) => [r.status, await r.text()] as const);
      for (const [status, text] of await Promise.all([put(), put()])) {
        statuses.push(status);
        if (status !== 200) expect(text).toMatch(/upload/);
      }
      const stored = await t.api("GET", `/attachs/alice/race/r${round}/0?download=true`, { token: alice });
      expect(stored.status).toBe(200);
      const got = new Uint8Array(
        await (await fetch((stored.body.attachment as { download_url: string }).download_url)).arrayBuffer(),
      );
      expect(Buffer.from(got).equals(bytes)).toBe(true);
    }
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
  });

  it("unfinished pushes are capped per user, by count and by declared bytes", async () => {
    const urls = [await announce("alice/open", "o1", 10), await announce("alice/open", "o2", 10)];
    await announce("alice/open", "o3", 10);
    const fourth = await t.api("POST", "/stacks/push", {
      token: alice,
      json: { stack: "alice/open", id: "o4", attachments: [{ length: 10, content_type: "text/plain" }] },
    });
    expect(fourth.status).toBe(429);
    expect(fourth.body.message).toMatch(/3 unfinished pushes/);
    // Another user is not affected; finishing one frees a place.
    const bobs = await t.api("POST", "/stacks/push", {
      token: bob,
      json: { stack: "bob/open", id: "b1", attachments: [{ length: 10, content_type: "text/plain" }] },
    });
    expect(bobs.status).toBe(200);
    expect((await fetch(urls[0] as string, { method: "PUT", body: "0123456789" })).status).toBe(200);
    const big = await t.api("POST", "/stacks/push", {
      token: alice,
      json: { stack: "alice/open", id: "o5", attachments: [{ length: 4_000_000, content_type: "text/plain" }] },
    });
    expect(big.status).toBe(429);
    expect(big.body.message).toMatch(/would hold 4000020 bytes/);
    expect((await announce("alice/open", "o6", 10)).length).toBeGreaterThan(0);
  });
});

describe("bad input is refused cleanly", () => {
  it("timestamps a Date cannot hold: 400 naming the field, nothing stored", async () => {
    for (const timestamp of [1e16, -1e16, 8.64e15 + 1]) {
      const result = await t.api("POST", "/stacks/push", {
        token: alice,
        json: {
          stack: "alice/time",
          id: "t",
          timestamp,
          attachments: [{ data: b64("x"), content_type: "text/plain" }],
        },
      });
      expect(result.status).toBe(400);
      expect(result.body.message).toMatch(/^malformed request: timestamp must be/);
    }
    expect((await t.api("GET", "/stacks/alice/time", { token: alice })).status).toBe(404);
    await pushOne("alice/time", "edge", "x", {});
  });

  /** A raw HTTP/1.1 exchange: what the server answers to `request` (all of it, until it closes). */
  function raw(request: string, { end = true, port = t.server.port } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let answer = "";
      socket.on("data", (chunk) => {
        answer += chunk.toString("latin1");
      });
      socket.on("close", () => resolve(answer));
      socket.on("error", reject);
      socket.write(request);
      if (end) socket.end();
    });
  }

  it("a Host header that is not a host[:port]: 400; TRACE: 405", async () => {
    for (const host of ["a b", "[", "x/y", "evil.com\\@a"]) {
      const answer = await raw(`GET /api/stacks/alice HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(answer, host).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain("bad Host header");
    }
    const trace = await raw("TRACE /api/stacks/alice HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    expect(trace).toMatch(/^HTTP\/1\.1 405 /);
    expect(trace).toMatch(/\r\nallow: GET, HEAD, POST, PUT, OPTIONS\r\n/i);
    const fine = await raw(`GET /api/stacks/alice HTTP/1.1\r\nHost: [::1]:9\r\nConnection: close\r\n\r\n`);
    expect(fine).toMatch(/^HTTP\/1\.1 (200|403) /);
  });

  it("a body that stalls gets 408 and its connection closed; headers that stall are cut off", async () => {
    const port = strict.server.port;
    const token = strict.server.token;
    const body = await raw(
      `POST /api/stacks/push HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"stack":`,
      { end: false, port },
    );
    expect(body).toMatch(/^HTTP\/1\.1 408 /);
    expect(body).toContain("the request body stalled");
    const headers = await raw("GET /api/stacks/dstack HTTP/1.1\r\nHost: localhost\r\nX-Slow:", { end: false, port });
    expect(headers).toMatch(/^(HTTP\/1\.1 408 |$)/);
    // The server still answers.
    expect((await strict.api("GET", "/stacks/dstack", { token })).status).toBe(200);
  });
});

describe("with a configured public URL", () => {
  const pub = setupTestServer({ inlineBytes: 1, publicUrl: "https://dstack.example.org" });

  it("builds every URL it hands out from it, never from the Host header", async () => {
    const token = pub.server.token;
    const headers = { host: "attacker.test:8080" };
    const push = {
      stack: "dstack/public-url",
      id: "f",
      attachments: [
        { data: b64("x"), content_type: "text/plain" },
        { length: 3, content_type: "text/plain" },
      ],
    };
    const pushed = await pub.api("POST", "/stacks/push", { token, json: push, headers });
    expect(pushed.body.url).toBe("https://dstack.example.org/dstack/public-url");
    const upload = (pushed.body.attachments as Array<{ upload_url: string }>)[0]?.upload_url as string;
    expect(upload).toMatch(/^https:\/\/dstack\.example\.org\/api\/uploads\/[0-9a-f]{32}$/);
    await pub.api("PUT", upload.replace("https://dstack.example.org/api", pub.server.apiUrl), { body: "abc" });
    const attach = await pub.api("GET", "/attachs/dstack/public-url/f/0?download=true", { token, headers });
    expect((attach.body.attachment as { download_url: string }).download_url).toMatch(
      /^https:\/\/dstack\.example\.org\/api\/blobs\/dstack\/public-url\/f\/0\?/,
    );
  });
});
