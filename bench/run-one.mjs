// Runs one benchmark module and prints its result as JSON on stdout.
import { pathToFileURL } from "node:url";

const mod = await import(pathToFileURL(process.argv[2]).href);
const result = await mod.default();
process.stdout.write(JSON.stringify(result));
