#!/usr/bin/env node
// The `dstack` bin: the command of cliMain.ts with this process's streams, environment, folder and home.
import { main } from "./cliMain";

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
