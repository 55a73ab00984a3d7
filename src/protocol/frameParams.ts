// Frame-level params as dstack clients send them. The 2020 server took any JSON there and checked attachment
// params only, and dstack-py 0.5 relies on it: `push_frame(stack, obj)` without a message sends
// `"params": {"message": null}`. So a frame's params keep the values a param can hold (string, finite number,
// boolean, `{type: "tab"}`) and drop everything else (null, lists, other objects, empty keys) instead of refusing
// the push. Attachment params stay strict: they drive the widgets.
import { InvalidRequestError } from "../model/errors";
import { type Params, validateParams } from "../model/params";

export function lenientFrameParams(raw: unknown): Params {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const out: Params = {};
  for (const [key, value] of Object.entries(raw)) {
    try {
      Object.assign(out, validateParams({ [key]: value }));
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
    }
  }
  return out;
}
