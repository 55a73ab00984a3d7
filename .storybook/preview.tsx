import type { Preview } from "@storybook/react-vite";
import { dstackCss } from "../src/react";

const preview: Preview = {
  parameters: { layout: "padded" },
  // Widget and renderer stories render without a DstackProvider (which injects the styles): give them the CSS.
  decorators: [
    (Story) => (
      <>
        <style>{dstackCss}</style>
        <Story />
      </>
    ),
  ],
};

export default preview;
