// Usage: node verdicts.mjs SCHEMA.json CASES.json
// Each case of CASES.json edits its seed record's text (`find` -> `replace`); the record's front
// matter is read as a JavaScript consumer would and validated with Ajv (JSON Schema 2020-12)
// and ajv-formats. Prints one JSON line per case: {"name", "valid", "errors"}.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { compileSchemaFile } from "./ajv.mjs";
import YAML from "yaml";
import { frontMatterText } from "./frontmatter.mjs";

const [schemaFile, casesFile] = process.argv.slice(2);
if (!schemaFile || !casesFile) {
  console.error("usage: node verdicts.mjs SCHEMA.json CASES.json");
  process.exit(2);
}

const validate = compileSchemaFile(schemaFile);

const corpus = JSON.parse(readFileSync(casesFile, "utf8"));
// The seed path is relative to the repository root, two levels above the corpus file.
const seed = readFileSync(resolve(dirname(casesFile), "..", "..", corpus.seed), "utf8");
for (const { name, find, replace } of corpus.cases) {
  const text = seed.replace(find, () => replace);
  let errors;
  try {
    errors = validate(YAML.parse(frontMatterText(text))) ? [] : validate.errors;
  } catch (err) {
    errors = [{ instancePath: "", keyword: "yaml", message: String(err.message ?? err) }];
  }
  console.log(JSON.stringify({ name, valid: errors.length === 0, errors }));
}
