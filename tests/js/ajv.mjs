// The validator a JavaScript consumer would use: Ajv (JSON Schema 2020-12) with ajv-formats.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** A validate function for the JSON Schema in `schemaFile`, reporting every error. */
export function compileSchemaFile(schemaFile) {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  // A writer's annotation: it says how to quote a string, and never fails validation.
  ajv.addKeyword({ keyword: "x-yaml-style", schemaType: "string" });
  return ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
}
