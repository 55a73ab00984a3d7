import { dstackCss } from "./dstackCss";

/**
 * The kit's stylesheet as a React 19 hoistable `<style>`: React puts it in `<head>` once however many providers
 * render it (deduplicated by `href`), during SSR too, so there is no global CSS import and no flash on hydration.
 */
export function KitStyles({ nonce }: { nonce?: string | undefined }) {
  return (
    <style href="dstack-kit" precedence="dstack-kit" nonce={nonce}>
      {dstackCss}
    </style>
  );
}
