// Baseline peer: plain node:http with no routing, auth or store. With `json BODY` it answers every request with
// that body; with `file PATH` it streams that file (fs.createReadStream piped into the response). What Node's
// HTTP stack does by itself on this machine, to put the server's numbers in proportion.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const [mode, arg] = process.argv.slice(2);
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (mode === "file" && arg) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": statSync(arg).size });
      createReadStream(arg).pipe(res);
      return;
    }
    const body = arg ?? "{}";
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
