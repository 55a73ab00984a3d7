// Whether a file exists and may be run: how the scripts look for Chromium and PostgreSQL's programs.
import { accessSync, constants } from "node:fs";

/** @param {string} path */
export function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
