import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Paths are relative to this file, so the build works from any working directory.
const here = (p: string): string => decodeURIComponent(new URL(p, import.meta.url).pathname);

export default defineConfig({
  root: here("."),
  base: "/",
  plugins: [react()],
  build: {
    outDir: here("../../dist/web"),
    emptyOutDir: true,
    // The CSP forbids inline scripts and styles: keep every asset a separate file, never a data: URL module.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
