// dstack-kit/node: the file-system store, the reference server and client profiles. Node only.
// Importing this entry makes Node's default store (used by createFrame, pushFrame and pull without { store })
// an HttpStore for the default profile of ~/.dstack/config.yaml, the one `dstack config add` writes. The protocol
// handler itself, without that side effect, is `dstack-kit/server`.
import { registerDefaultStoreProvider } from "../client/defaultStore";
import { createProfileStore } from "./config";

export { createProfileStore, type ProfileStoreOptions } from "./config";
export { createFileStore, type FileStore, type FileStoreOptions } from "./fileStore";
export { nodeListener } from "./nodeHttp";
export { type DstackServer, type StartServerOptions, startServer } from "./server";

registerDefaultStoreProvider(() => createProfileStore());
