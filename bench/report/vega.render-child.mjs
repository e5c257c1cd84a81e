// Renders Vega-Lite specs to SVG strings in a child process.
//
// Why a child process: vega and vega-lite ship only as ES modules. Plain
// Node 20.19+ could require() them, but Jest's module system cannot load ESM,
// and the report must render the same way from the built CLI and from tests.
// One small .mjs file that both spawn keeps a single code path.
//
// Protocol: stdin is JSON [{ name, spec }] (Vega-Lite specs, data included);
// stdout is JSON { [name]: svg }. Any failure: message on stderr, exit 1.
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function renderOne(spec) {
  const compiled = vegaLite.compile(spec).spec;
  // renderer 'none': no canvas or DOM needed; toSVG builds the markup itself.
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

try {
  const jobs = JSON.parse(await readStdin());
  const out = {};
  for (const { name, spec } of jobs) {
    try {
      out[name] = await renderOne(spec);
    } catch (err) {
      throw new Error(
        `chart "${name}" could not be rendered: ${err && err.message ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }
  process.stdout.write(JSON.stringify(out));
} catch (err) {
  process.stderr.write(
    `${err && err.message ? err.message : String(err)}\n${err && err.cause && err.cause.stack ? err.cause.stack : ''}\n`,
  );
  process.exitCode = 1;
}
