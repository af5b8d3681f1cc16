// The console is built into the Python package (bot/web/admin/static), so a user of the
// service needs no Node; `npm run build` also stamps the source hash the tests check.
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

export default defineConfig({
  base: "/admin/static/",
  plugins: [vue()],
  build: {
    outDir: "../bot/web/admin/static",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
    // The polyfill would be an inline script, which the console's CSP forbids.
    modulePreload: { polyfill: false },
  },
});
