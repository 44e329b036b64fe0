// Read a record file and parse its YAML front matter the way a JavaScript consumer would.
import { readFileSync } from "node:fs";
import YAML from "yaml";

/** The text between the opening `---` line and the next `---` line. */
export function frontMatterText(text) {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== "---") throw new Error("record does not start with a '---' fence");
  const end = lines.indexOf("---", 1);
  if (end < 0) throw new Error("front matter has no closing '---' fence");
  return lines.slice(1, end).join("\n");
}

/** Parse a record file's front matter with the `yaml` package's defaults (YAML 1.2 core). */
export function readFrontMatter(file) {
  return YAML.parse(frontMatterText(readFileSync(file, "utf8")));
}
