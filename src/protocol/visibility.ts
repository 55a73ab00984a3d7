// A stack or dashboard the caller may not see does not exist for them: 404, never 403, on every route.
import { DashboardNotFoundError, StackNotFoundError } from "../model/errors";
import { type StackPath, validateUser } from "../model/stackPath";
import type { ReadOptions, StackReadOptions, StackStore } from "../model/stackStore";
import type { Dashboard, StackInfo } from "../model/types";
import type { Access, Caller } from "./access";
import type { Resource } from "./users";

export function createVisibility(store: StackStore, access: Access) {
  return {
    /** The stack (with as many frames as `read.frames` asks), if `caller` may see it; StackNotFoundError otherwise. */
    async stack(caller: Caller, stack: StackPath, read?: StackReadOptions): Promise<StackInfo> {
      // Most routes only check access: the head alone, unless the caller asks for frames.
      const info = await store.getStack(`/${stack.path}`, { frames: 0, ...read });
      if (!(await access.canSee(caller, info.user, info.private, { type: "stack", path: info.path }))) {
        throw new StackNotFoundError(stack.path);
      }
      return info;
    },
    /** The dashboard, if `caller` may see it; DashboardNotFoundError otherwise. */
    async dashboard(caller: Caller, user: string, id: string, read?: ReadOptions): Promise<Dashboard> {
      validateUser(user);
      const dashboard = await store.getDashboard(user, id, read);
      const resource: Resource = { type: "dashboard", user, id };
      if (!(await access.canSee(caller, dashboard.user, dashboard.private, resource))) {
        throw new DashboardNotFoundError(user, id);
      }
      return dashboard;
    },
  };
}

export type Visibility = ReturnType<typeof createVisibility>;
