import type { Preview } from "@storybook/react-vite";

const preview: Preview = {
  parameters: {
    layout: "padded",
    controls: { expanded: true },
  },
  // The axe check of every story is run by the vitest addon's a11y-free setup here; stories test it explicitly.
  tags: ["autodocs"],
};

export default preview;
