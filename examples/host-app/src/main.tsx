import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { interceptLinks } from "./router";
import "./app.css";

interceptLinks();
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
