/** The `type` of the message a bokeh frame posts its content height under. */
export const BOKEH_HEIGHT_MESSAGE = "dstack-kit:bokeh-height";

/** The tallest a bokeh frame may make itself, whatever its content reports. */
export const MAX_FRAME_HEIGHT = 10_000;

/**
 * The height in a bokeh frame's report, or undefined when `data` is not one. The frame runs the plot's own scripts,
 * which can post anything: only a finite number is taken, rounded up and clamped to [0, MAX_FRAME_HEIGHT].
 */
export function readFrameHeight(data: unknown): number | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { type, height } = data as { type?: unknown; height?: unknown };
  if (type !== BOKEH_HEIGHT_MESSAGE || typeof height !== "number" || !Number.isFinite(height)) return undefined;
  return Math.min(MAX_FRAME_HEIGHT, Math.max(0, Math.ceil(height)));
}
