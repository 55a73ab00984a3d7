// dstack-kit/node: the file-system store, the reference server and client profiles. Node only.
// Importing this entry makes Node's default store (used by createFrame, pushFrame and pull without { store })
// an HttpStore for the default profile of ~/.dstack/config.yaml, the one `dstack config add` writes.
import { registerDefaultStoreProvider } from "../client/defaultStore";
import { createProfileStore } from "./config";

export { createDstackHandler, type DstackHandler, type DstackHandlerOptions } from "../protocol/handler";
export { createUserRegistry, type MemoryUserRegistry, type UserRegistry } from "../protocol/users";
export {
  configPath,
  createProfileStore,
  DEFAULT_PROFILE,
  type Profile,
  type ProfileStoreOptions,
  readProfile,
  readProfiles,
  writeProfile,
} from "./config";
export { fileAttachment } from "./fileAttachment";
export { createFileStore, type FileStore, type FileStoreOptions } from "./fileStore";
export { type FileUserRegistry, openFileUserRegistry } from "./fileUserRegistry";
export { nodeListener, toWebRequest } from "./nodeHttp";
export {
  DEFAULT_PORT,
  DEFAULT_USER,
  type DstackServer,
  type StartServerOptions,
  startServer,
  usersFile,
} from "./server";

registerDefaultStoreProvider(() => createProfileStore());
