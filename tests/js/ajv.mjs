// The validator a JavaScript consumer would use: Ajv (JSON Schema 2020-12) with ajv-formats.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** Every `x-*` key in a schema: annotations for writers and code generators. */
function annotationKeys(node, found = new Set()) {
  if (Array.isArray(node)) {
    for (const item of node) annotationKeys(item, found);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-")) found.add(key);
      else if (!["const", "enum", "default", "examples"].includes(key)) annotationKeys(value, found);
    }
  }
  return found;
}

/** A validate function for the JSON Schema in `schemaFile`, reporting every error. */
export function compileSchemaFile(schemaFile) {
  const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  // Writers' and generators' annotations (`x-yaml-style`, `x-python-name`...): they say how to
  // write or name a value, and never fail validation.
  for (const keyword of annotationKeys(schema)) ajv.addKeyword({ keyword });
  return ajv.compile(schema);
}
