// Runs Mozilla Readability (the engine of Firefox's Reader View, npm package
// "@mozilla/readability") on jsdom over built pages, as Reader View would (issue 22).
// Usage: node tests/readability.cjs URL=FILE...  Prints one JSON object: per URL,
// whether Reader View is offered (isProbablyReaderable) and what parse() returns
// (title, byline, excerpt, siteName, publishedTime, lang, textContent, content),
// or null when Readability finds no article.
const fs = require("node:fs");
const { JSDOM, VirtualConsole } = require("jsdom");
const { Readability, isProbablyReaderable } = require("@mozilla/readability");

const results = {};
for (const pair of process.argv.slice(2)) {
  const cut = pair.indexOf("=");
  const url = pair.slice(0, cut);
  const html = fs.readFileSync(pair.slice(cut + 1), "utf8");
  // No script runs and no resource loads (jsdom's defaults); CSS parse warnings stay quiet.
  const dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  const document = dom.window.document;
  const readerable = isProbablyReaderable(document);
  const article = new Readability(document).parse();
  results[url] = { readerable, article };
  dom.window.close();
}
process.stdout.write(JSON.stringify(results));
