// The content hash of the console's sources and lockfile, written beside the built assets
// (build.json) so the Python tests can tell a stale build from a fresh one without Node.
// The same walk is done by tests/admin/test_console_build.py: keep the two in step.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SKIP = new Set(["node_modules", "dist", ".vite"]);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : entry.isFile() ? [full] : [];
  });
}

export function sourceHash() {
  const files = walk(root).map((f) => relative(root, f).split(sep).join("/")).sort();
  const hash = createHash("sha256");
  for (const name of files) {
    const digest = createHash("sha256").update(readFileSync(join(root, name))).digest("hex");
    hash.update(`${name}\n${digest}\n`);
  }
  return hash.digest("hex");
}

const digest = sourceHash();
if (process.argv.includes("--print")) {
  console.log(digest);
} else {
  const out = join(root, "..", "bot", "web", "admin", "static", "build.json");
  writeFileSync(out, `${JSON.stringify({ source_sha256: digest }, null, 2)}\n`);
  console.log(`stamped ${out}: ${digest}`);
}
