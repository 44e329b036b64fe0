// Usage: node typecheck.mjs < PLAN.json
// PLAN: [{"declarations": "article.ts", "type": "Article", "records": ["a.txt", ...]}, ...]
// Types each record's front matter (as a JS literal, one property per line) as the group's
// interface from its declarations, every group and record a module of its own, all in ONE
// `tsc --strict --noEmit` program (tsc's start-up is most of a check's cost). Prints JSON:
// {"global": [D...], "groups": [{"declarations": [D...], "records": [[D...], ...]}, ...]}, where
// a diagnostic D is {"code", "category", "line", "message", "related"}: the message text with
// its chain, and the related information ("The expected type comes from property 'quality'...").
// Exits 0 when the check ran (type errors are in the output), 2 on bad usage.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { readFrontMatter } from "./frontmatter.mjs";

const plan = JSON.parse(readFileSync(0, "utf8"));
if (!Array.isArray(plan) || plan.length === 0 || plan.some((g) => !g.declarations || !g.records)) {
  console.error("usage: node typecheck.mjs < PLAN.json (a list of {declarations, type, records})");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "roundtrip-tsc-"));
try {
  const owners = new Map(); // file in the program -> [group, record index or null]
  plan.forEach((group, g) => {
    const type = group.type ?? "Article";
    const declarations = join(dir, `declarations${g}.ts`);
    copyFileSync(group.declarations, declarations);
    owners.set(declarations, [g, null]);
    group.records.forEach((file, r) => {
      const record = join(dir, `group${g}-record${r}.ts`);
      const literal = JSON.stringify(readFrontMatter(file), null, 2);
      writeFileSync(record, `// ${file}\nimport type { ${type} } from "./declarations${g}";\n` +
                            `export const record: ${type} = ${literal};\n`);
      owners.set(record, [g, r]);
    });
  });
  const program = ts.createProgram([...owners.keys()], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const text = (message) => ts.flattenDiagnosticMessageText(message, "\n");
  const result = {
    global: [],
    groups: plan.map((group) => ({ declarations: [], records: group.records.map(() => []) })),
  };
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const diagnostic = {
      code: d.code,
      category: ts.DiagnosticCategory[d.category].toLowerCase(),
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : null,
      message: text(d.messageText),
      related: (d.relatedInformation ?? []).map((info) => text(info.messageText)),
    };
    const owner = d.file && owners.get(d.file.fileName);
    if (!owner) result.global.push(diagnostic);
    else if (owner[1] === null) result.groups[owner[0]].declarations.push(diagnostic);
    else result.groups[owner[0]].records[owner[1]].push(diagnostic);
  }
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
