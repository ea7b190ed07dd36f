// Runs tests/pyodide/driver.py inside Pyodide under Node, offline.
//
//   node run.mjs WHEELS_DIR WORK_DIR
//
// WHEELS_DIR holds micropip's and packaging's wheels and the wheels to install (retrosheet's and its pure
// dependencies); WORK_DIR the files the driver reads (input.json, main.py, xlwings/…).
// They are copied into Pyodide's file system at /wheels and /work; the driver writes
// /work/output.json, copied back to WORK_DIR. Timings go to WORK_DIR/timings.json.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const here = path.dirname(fileURLToPath(import.meta.url));
const [wheelsDir, workDir] = process.argv.slice(2);

function copyInto(FS, from, to) {
  FS.mkdirTree(to);
  for (const name of fs.readdirSync(from)) {
    const src = path.join(from, name);
    const dst = `${to}/${name}`;
    if (fs.statSync(src).isDirectory()) copyInto(FS, src, dst);
    else FS.writeFile(dst, fs.readFileSync(src));
  }
}

const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: path.join(here, "node_modules", "pyodide") + path.sep,
  stdout: (line) => process.stderr.write(`[py] ${line}\n`),
  stderr: (line) => process.stderr.write(`[py!] ${line}\n`),
});
const loaded = performance.now();
// micropip and what it needs (packaging), as Pyodide's own loader installs them.
const bootstrap = fs.readdirSync(wheelsDir)
  .filter((f) => f.startsWith("micropip-") || f.startsWith("packaging-"))
  .map((f) => path.join(wheelsDir, f));
await pyodide.loadPackage(bootstrap);
copyInto(pyodide.FS, wheelsDir, "/wheels");
copyInto(pyodide.FS, workDir, "/work");
pyodide.runPython(fs.readFileSync(path.join(here, "driver.py"), "utf8"));
await pyodide.runPythonAsync("await main()");
const done = performance.now();
fs.writeFileSync(path.join(workDir, "output.json"), pyodide.FS.readFile("/work/output.json"));
fs.writeFileSync(path.join(workDir, "timings.json"), JSON.stringify({
  load_pyodide_s: (loaded - t0) / 1000, install_and_run_s: (done - loaded) / 1000,
}));
