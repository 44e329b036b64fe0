// Usage: node validate.mjs SCHEMA.json RECORD...
// Validates each record's front matter with Ajv (JSON Schema 2020-12) and ajv-formats, and
// prints one JSON line per record: {"file", "valid", "errors"} (errors: Ajv error objects).
// Exit status: 0 when every record is valid, 1 when one is not, 2 on bad usage.
import { compileSchemaFile } from "./ajv.mjs";
import { readFrontMatter } from "./frontmatter.mjs";

const [schemaFile, ...records] = process.argv.slice(2);
if (!schemaFile || records.length === 0) {
  console.error("usage: node validate.mjs SCHEMA.json RECORD...");
  process.exit(2);
}

const validate = compileSchemaFile(schemaFile);

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
