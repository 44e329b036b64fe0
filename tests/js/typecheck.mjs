// Usage: node typecheck.mjs DECLARATIONS.ts [--type NAME] RECORD...
// Writes a TypeScript file that assigns each record's front matter (as a JS literal, one
// property per line) to a variable typed `Article` (or NAME) from DECLARATIONS.ts, then runs
// `tsc --strict --noEmit` on it. Prints tsc's diagnostics (pretty, so they quote the offending
// line and the property's declaration, with colours stripped); exits with tsc's status.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFrontMatter } from "./frontmatter.mjs";

let [declarations, ...records] = process.argv.slice(2);
let type = "Article"; // the record interface: `--type NAME` for another format's
if (records[0] === "--type") [, type, ...records] = records;
if (!declarations || records.length === 0) {
  console.error("usage: node typecheck.mjs DECLARATIONS.ts [--type NAME] RECORD...");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "roundtrip-tsc-"));
try {
  copyFileSync(declarations, join(dir, "article.ts"));
  const body = records.map(
    (file, i) => `// ${file}\nexport const record${i}: ${type} = ${JSON.stringify(readFrontMatter(file), null, 2)};\n`,
  );
  writeFileSync(join(dir, "records.ts"), [`import type { ${type} } from "./article";\n`, ...body].join("\n"));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const args = ["--strict", "--noEmit", "--pretty", "true", "--target", "es2022",
                "--module", "es2022", "--moduleResolution", "bundler", "records.ts"];
  const run = spawnSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: "utf8" });
  process.stdout.write(run.stdout.replace(/\x1b\[[0-9;]*m/g, ""));
  process.stderr.write(run.stderr);
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
