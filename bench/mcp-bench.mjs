// mcp-bench.mjs: what a tool call through muster costs over a direct call
// with the official SDK to the same server (server-everything's echo), and
// how fast `muster mcp serve` answers tools/list for 100 workflows.
//
//   (cd tests/mcp && npm ci) && make
//   node bench/mcp-bench.mjs [--muster ./muster] [--calls 50] [--rounds 5]
//
// warm: N calls on one connection (SDK) against a workflow of N steps that
// share one server (muster run; its total minus a run of N `run: true`
// steps is what the MCP calls cost inside muster).  cold: connect, one
// call, close (SDK) against `muster mcp call` (starts the server, calls,
// stops it).  Medians of the rounds, milliseconds.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const top = path.resolve(path.dirname(new URL(import.meta.url).pathname),
    "..");
const mods = path.join(top, "tests/mcp/node_modules");
const sdk = (p) => import(pathToFileURL(path.join(mods,
    "@modelcontextprotocol/sdk/dist/esm", p)).href);
const { Client } = await sdk("client/index.js");
const { StdioClientTransport } = await sdk("client/stdio.js");
const everything = path.join(mods,
    "@modelcontextprotocol/server-everything/dist/index.js");

const opt = { muster: path.join(top, "muster"), calls: 50, rounds: 5 };
for (let i = 2; i < process.argv.length; i += 2)
	opt[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
opt.calls = Number(opt.calls);
opt.rounds = Number(opt.rounds);

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function connect() {
	const c = new Client({ name: "bench", version: "1" });
	await c.connect(new StdioClientTransport({ command: "node",
	    args: [everything, "stdio"], stderr: "ignore" }));
	return c;
}

async function sdkWarm(n) {
	const c = await connect();
	const t0 = now();
	for (let i = 0; i < n; i++)
		await c.callTool({ name: "echo", arguments: { message: "m" } });
	const ms = now() - t0;
	await c.close();
	return ms;
}

async function sdkCold() {
	const t0 = now();
	const c = await connect();
	await c.callTool({ name: "echo", arguments: { message: "m" } });
	await c.close();
	return now() - t0;
}

// A project with a workflow of n echo steps and one of n `true` steps.
function project(n) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "muster-mcp-bench-"));
	fs.mkdirSync(path.join(dir, ".muster/mcpservers"), { recursive: true });
	fs.mkdirSync(path.join(dir, ".muster/workflows"));
	fs.writeFileSync(path.join(dir, ".muster/mcpservers/e.yaml"),
	    "apiVersion: muster.giantswarm.io/v1alpha1\nkind: MCPServer\n" +
	    "metadata: {name: e}\nspec:\n  command: node\n" +
	    `  args: ["${everything}", "stdio"]\n`);
	const wf = (name, step) => "apiVersion: muster.giantswarm.io/v1alpha1\n" +
	    `kind: Workflow\nmetadata: {name: ${name}}\nspec:\n  steps:\n` +
	    Array.from({ length: n }, (_, i) => `    - {id: s${i}, ${step}}\n`)
		.join("");
	fs.writeFileSync(path.join(dir, ".muster/workflows/echo.yaml"),
	    wf("echo", "tool: x_e_echo, args: {message: m}"));
	fs.writeFileSync(path.join(dir, ".muster/workflows/plain.yaml"),
	    wf("plain", "run: 'true'"));
	fs.writeFileSync(path.join(dir, ".muster/workflows/one.yaml"),
	    "apiVersion: muster.giantswarm.io/v1alpha1\nkind: Workflow\n" +
	    "metadata: {name: one}\nspec:\n  steps:\n" +
	    "    - {id: s, tool: x_e_echo, args: {message: m}}\n");
	return dir;
}

function timed(args) {
	const t0 = now();
	execFileSync(opt.muster, args, { stdio: ["ignore", "ignore", "ignore"] });
	return now() - t0;
}

const dir = project(opt.calls);
const r = { sdkWarm: [], sdkCold: [], musterRun: [], musterPlain: [],
	musterCold: [], musterOne: [] };
for (let round = 0; round < opt.rounds; round++) {
	r.sdkWarm.push(await sdkWarm(opt.calls));
	r.sdkCold.push(await sdkCold());
	r.musterRun.push(timed(["-q", "-C", dir, "run", "echo", "-j", "1"]));
	r.musterPlain.push(timed(["-q", "-C", dir, "run", "plain", "-j", "1"]));
	r.musterOne.push(timed(["-q", "-C", dir, "run", "one"]));
	r.musterCold.push(timed(["-q", "-C", dir, "mcp", "call", "e", "echo",
	    "--arg", "message=m"]));
}
const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k,
    median(v)]));
const n = opt.calls;
console.log(`calls per round ${n}, rounds ${opt.rounds}, medians:`);
console.log(`  warm, SDK, one connection:       ${(m.sdkWarm / n).toFixed(2)} ms a call`);
console.log(`  warm, muster run of ${n} MCP steps: ${(m.musterRun / n).toFixed(2)} ms a step ` +
    `(${m.musterRun.toFixed(0)} ms, server start included)`);
const marginal = (m.musterRun - m.musterOne) / (n - 1);
console.log(`  muster run of 1 MCP step:        ${m.musterOne.toFixed(0)} ms (server start, ` +
    "handshake, stop)");
console.log(`  => each further MCP step:        ${marginal.toFixed(2)} ms ` +
    `(+${(marginal - m.sdkWarm / n).toFixed(2)} ms over an SDK call)`);
console.log(`  muster run of ${n} 'true' steps:   ${(m.musterPlain / n).toFixed(2)} ms a step`);
console.log(`  cold, SDK connect+call+close:    ${m.sdkCold.toFixed(1)} ms`);
console.log(`  cold, muster mcp call:           ${m.musterCold.toFixed(1)} ms ` +
    `(+${(m.musterCold - m.sdkCold).toFixed(1)} ms)`);
fs.rmSync(dir, { recursive: true, force: true });
