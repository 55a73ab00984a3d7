// Changes a users.json from another process, as `dstack user add` or a second server would.
// Usage: node --import tsx userRegistry.child.ts FILE add PREFIX COUNT   (one open/add/flush per user, like the CLI)
//        node --import tsx userRegistry.child.ts FILE verify USER CODE
//        node --import tsx userRegistry.child.ts LOCKFILE hold            (takes the lock and keeps it until killed)
import { withFileLock } from "../fileLock";
import { openFileUserRegistry } from "../fileUserRegistry";

const [file, command, a, b] = process.argv.slice(2);
if (!file || !command) throw new Error("usage: userRegistry.child.ts FILE add|verify|hold ...");
if (command === "add") {
  process.stdout.write("ready\n");
  for (let i = 0; i < Number(b); i++) {
    const users = openFileUserRegistry(file);
    users.addUser(`${a}${i}`);
    await users.flush();
    process.stdout.write(`${a}${i} ${users.tokenOf(`${a}${i}`)}\n`);
  }
  process.stdout.write("done\n");
} else if (command === "verify") {
  const token = await openFileUserRegistry(file).verifyCode(a as string, b as string);
  process.stdout.write(`${token ?? "refused"}\n`);
} else if (command === "hold") {
  await withFileLock(file, async () => {
    process.stdout.write("locked\n");
    await new Promise(() => setInterval(() => {}, 60_000)); // a pending timer keeps the process alive
  });
}
