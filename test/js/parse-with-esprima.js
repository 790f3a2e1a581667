// Parses a JavaScript file with esprima (Debian's node-esprima) inside Rhino and
// prints the whole AST, with ranges, locations, tokens and comments, as JSON.
// Usage: java -cp rhino.jar org.mozilla.javascript.tools.shell.Main parse-with-esprima.js <esprima.js> <input.js>
var window = this; // esprima's UMD wrapper names `window` as the global object
load(arguments[0]);
var ast = esprima.parse(readFile(arguments[1]), { range: true, loc: true, tokens: true, comment: true });
print(JSON.stringify(ast, null, 1));
