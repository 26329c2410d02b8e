// serve-client.mjs: the official TypeScript SDK's client against
// `muster mcp serve`.  Usage: node serve-client.mjs MUSTER PROJECT_DIR CHECK
// CHECK is one of: handshake, list, call, fail, progress, changed, badargs,
// version.  Prints what it saw as JSON on stdout; exits 1 on a failed check.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from
    "@modelcontextprotocol/sdk/client/stdio.js";
import { ToolListChangedNotificationSchema } from
    "@modelcontextprotocol/sdk/types.js";
import fs from "node:fs";

const [muster, dir, check] = process.argv.slice(2);

function fail(msg) {
	console.error(`serve-client: ${check}: ${msg}`);
	process.exit(1);
}

const transport = new StdioClientTransport({
	command: muster,
	args: ["-C", dir, "mcp", "serve"],
	stderr: "pipe",
});
let stderr = "";
transport.stderr?.on("data", (d) => { stderr += d; });
const client = new Client({ name: "muster-tests", version: "1.0.0" });
await client.connect(transport);

async function main() {
	switch (check) {
	case "handshake": {
		const v = client.getServerVersion();
		const caps = client.getServerCapabilities();
		if (v.name !== "muster") fail(`server name ${v.name}`);
		if (!caps.tools || caps.tools.listChanged !== true)
			fail(`capabilities ${JSON.stringify(caps)}`);
		console.log(JSON.stringify({ server: v, capabilities: caps }));
		break;
	}
	case "list": {
		const t0 = process.hrtime.bigint();
		const r = await client.listTools();
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		console.log(JSON.stringify({ ms, tools: r.tools }));
		break;
	}
	case "call": {
		const r = await client.callTool({ name: "workflow_greet",
		    arguments: { who: "sdk", times: 2, code: "abc" } });
		if (r.isError) fail(`isError: ${JSON.stringify(r)}`);
		console.log(JSON.stringify(r));
		break;
	}
	case "fail": {
		const r = await client.callTool({ name: "workflow_broken",
		    arguments: {} });
		console.log(JSON.stringify(r));
		if (!r.isError) fail("a failing workflow is no isError");
		break;
	}
	case "badargs": {
		const r = await client.callTool({ name: "workflow_greet",
		    arguments: { times: "many", code: "abc" } });
		console.log(JSON.stringify(r));
		if (!r.isError) fail("bad arguments are no isError");
		break;
	}
	case "progress": {
		const seen = [];
		// Paced steps: the SDK drops progress notifications that
		// reach it in one read with the call's answer.
		const r = await client.callTool({ name: "workflow_paced",
		    arguments: {} }, undefined,
		    { onprogress: (p) => seen.push(p) });
		console.log(JSON.stringify({ progress: seen, result: r }));
		if (seen.length < 2) fail("fewer than 2 progress notifications");
		break;
	}
	case "changed": {
		const got = new Promise((resolve) => {
			client.setNotificationHandler(
			    ToolListChangedNotificationSchema, () => resolve(true));
		});
		const before = (await client.listTools()).tools.length;
		fs.writeFileSync(`${dir}/.muster/workflows/added.yaml`,
		    "apiVersion: muster.giantswarm.io/v1alpha1\n" +
		    "kind: Workflow\nmetadata: {name: added}\n" +
		    "spec:\n  steps:\n    - {id: a, run: 'true'}\n");
		const t = setTimeout(() => fail("no list_changed in 10s"),
		    10000);
		await got;
		clearTimeout(t);
		const after = (await client.listTools()).tools;
		console.log(JSON.stringify({ before, after: after.length,
		    added: after.some((x) => x.name === "workflow_added") }));
		break;
	}
	case "version":
		console.log(JSON.stringify({ version:
		    transport._protocolVersion ?? client._negotiated ??
		    null }));
		break;
	default:
		fail("unknown check");
	}
}

try {
	await main();
} catch (e) {
	fail(`${e.message}\n${stderr}`);
}
await client.close();
if (process.env.SHOW_STDERR) process.stderr.write(stderr);
