// Usage: node validate.mjs SCHEMA.json RECORD...
// Validates each record's front matter with Ajv (JSON Schema 2020-12) and ajv-formats, and
// prints one JSON line per record: {"file", "valid", "errors"} (errors: Ajv error objects).
// Exit status: 0 when every record is valid, 1 when one is not, 2 on bad usage.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFrontMatter } from "./frontmatter.mjs";

const [schemaFile, ...records] = process.argv.slice(2);
if (!schemaFile || records.length === 0) {
  console.error("usage: node validate.mjs SCHEMA.json RECORD...");
  process.exit(2);
}

const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
// A writer's annotation: it says how to quote a string, and never fails validation.
ajv.addKeyword({ keyword: "x-yaml-style", schemaType: "string" });
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));

let allValid = true;
for (const file of records) {
  let errors;
  try {
    errors = validate(readFrontMatter(file)) ? [] : validate.errors;
  } catch (err) {
    errors = [{ instancePath: "", keyword: "frontmatter", message: String(err.message ?? err) }];
  }
  allValid &&= errors.length === 0;
  console.log(JSON.stringify({ file, valid: errors.length === 0, errors }));
}
process.exit(allValid ? 0 : 1);
