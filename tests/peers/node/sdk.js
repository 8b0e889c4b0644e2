// Drives the official Mixpanel Node SDK (npm `mixpanel`) against the emulator for
// tests/peers/test_node_sdk.py. Usage: node sdk.js '<json job>'; prints one JSON answer.
//
// job: {scenario: "ingest" | "flags" | "more", host, port, token, auth?, ...}
// The emulator's CA comes from NODE_EXTRA_CA_CERTS, as for any Node program.
"use strict";

const https = require("https");
const Mixpanel = require("mixpanel");

const job = JSON.parse(process.argv[2]);

// The SDK's flag providers always connect to port 443 of `api_host`; the test emulator listens
// on a free port instead, so requests for that host are sent there. Nothing else changes.
const originalRequest = https.request;
https.request = function (options, ...rest) {
  if (options && options.host === job.host && Number(options.port) === 443) {
    options = { ...options, port: job.port };
  }
  return originalRequest.call(this, options, ...rest);
};

function client(extra) {
  const config = {
    host: `${job.host}:${job.port}`,
    protocol: "https",
    keepAlive: false,
    verbose: Boolean(job.verbose),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    ...extra,
  };
  if (job.auth === "secret") config.secret = job.secret;
  if (job.auth === "key") config.key = job.secret;
  if (job.auth === "service_account") {
    config.credentials = new Mixpanel.ServiceAccountCredentials(
      job.username,
      job.password,
      job.project_id,
    );
  }
  return Mixpanel.init(job.token, config);
}

// Call `fn(callback)` and resolve with the error message (or null).
function settled(fn) {
  return new Promise((resolve) => {
    try {
      fn((err) => resolve(err ? String(err.message || err) : null));
    } catch (err) {
      resolve("thrown: " + err.message);
    }
  });
}

async function ingest() {
  const mp = client({});
  const t = job.time; // seconds
  const calls = {
    track: (cb) => mp.track("Node Track", { distinct_id: "n1", plan: "pro", $insert_id: "nt-1" }, cb),
    track_batch: (cb) =>
      mp.track_batch(
        [
          { event: "Node Batch", properties: { distinct_id: "n2", time: t, $insert_id: "nb-1" } },
          { event: "Node Batch", properties: { distinct_id: "n3", time: t, $insert_id: "nb-2" } },
        ],
        cb,
      ),
    import: (cb) =>
      mp.import("Node Import", t, { distinct_id: "n4", $insert_id: `ni-${job.auth.replace(/_/g, "-")}` }, cb),
    import_batch: (cb) =>
      mp.import_batch(
        [
          { event: "Node Import Batch", properties: { distinct_id: "n5", time: t, $insert_id: `nib-1-${job.auth.replace(/_/g, "-")}` } },
          { event: "Node Import Batch", properties: { distinct_id: "n6", time: t, $insert_id: `nib-2-${job.auth.replace(/_/g, "-")}` } },
        ],
        cb,
      ),
    alias: (cb) => mp.alias("n1", "n1-alias", cb),
    "people.set": (cb) => mp.people.set("p1", { plan: "pro", seats: 3 }, cb),
    "people.set_once": (cb) => mp.people.set_once("p1", "first_seen", "2024-01-01", cb),
    "people.increment": (cb) => mp.people.increment("p1", "logins", 2, cb),
    "people.append": (cb) => mp.people.append("p1", "tags", "a", cb),
    "people.union": (cb) => mp.people.union("p1", { langs: ["en", "fr"] }, cb),
    "people.remove": (cb) => mp.people.remove("p1", { tags: "a" }, cb),
    "people.unset": (cb) => mp.people.unset("p1", "seats", cb),
    "people.track_charge": (cb) => mp.people.track_charge("p1", 9.5, { sku: "x" }, cb),
    "people.clear_charges": (cb) => mp.people.clear_charges("p2", cb),
    "people.delete_user": (cb) => mp.people.delete_user("p3", cb),
    "groups.set": (cb) => mp.groups.set("company", "acme", { tier: "gold", size: 10 }, cb),
    "groups.set_once": (cb) => mp.groups.set_once("company", "acme", "founded", 1999, cb),
    "groups.union": (cb) => mp.groups.union("company", "acme", { regions: ["eu"] }, cb),
    "groups.remove": (cb) => mp.groups.remove("company", "acme", { regions: "eu" }, cb),
    "groups.unset": (cb) => mp.groups.unset("company", "acme", "size", cb),
    "groups.delete_group": (cb) => mp.groups.delete_group("company", "gone", cb),
  };
  const pre = {
    // Profiles for the calls that change or delete existing ones.
    "people.clear_charges": (cb) => mp.people.set("p2", { plan: "free" }, cb),
    "people.delete_user": (cb) => mp.people.set("p3", { plan: "free" }, cb),
    "groups.delete_group": (cb) => mp.groups.set("company", "gone", { tier: "none" }, cb),
  };
  const only = job.only || Object.keys(calls);
  const out = {};
  for (const name of only) {
    if (pre[name]) await settled(pre[name]);
    out[name] = await settled(calls[name]);
  }
  return out;
}

function plain(variant) {
  if (!variant) return variant;
  const { variant_key, variant_value, is_qa_tester, variant_source } = variant;
  return { variant_key, variant_value, is_qa_tester, variant_source };
}

async function flags() {
  const flagsConfig = { api_host: job.host };
  const mp = client({
    local_flags_config: { ...flagsConfig, enable_polling: false },
    remote_flags_config: flagsConfig,
  });
  await mp.local_flags.startPollingForDefinitions();
  const out = { local: [], remote: [], all_local: [], all_remote: [], enabled: [], values: [] };
  for (const context of job.contexts) {
    const local = {};
    const remote = {};
    for (const key of job.keys) {
      local[key] = plain(mp.local_flags.getVariant(key, { variant_value: "fallback" }, context, job.expose));
      remote[key] = plain(
        await mp.remote_flags.getVariant(key, { variant_value: "fallback" }, context, job.expose),
      );
    }
    out.local.push(local);
    out.remote.push(remote);
    const allLocal = mp.local_flags.getAllVariants(context);
    const allRemote = await mp.remote_flags.getAllVariants(context);
    out.all_local.push(Object.keys(allLocal || {}).sort());
    out.all_remote.push(Object.keys(allRemote || {}).sort());
    out.enabled.push([
      mp.local_flags.isEnabled(job.keys[0], context),
      await mp.remote_flags.isEnabled(job.keys[0], context),
    ]);
    out.values.push([
      mp.local_flags.getVariantValue(job.keys[0], "fallback", context, false),
      await mp.remote_flags.getVariantValue(job.keys[0], "fallback", context, false),
    ]);
  }
  mp.local_flags.stopPollingForDefinitions();
  return out;
}

// The public methods the other scenarios leave out: set_config, the low-level send_request and
// send_event_request, and the flag providers' areFlagsReady, callFlagsEndpoint,
// trackExposureEvent and shutdown (for `job.exposed`, a test user of flag `job.key`).
async function more() {
  const mp = client({ host: "127.0.0.1:1" }); // nothing listens there...
  mp.set_config({ host: `${job.host}:${job.port}` }); // ...until set_config points it here
  const out = {};
  out.set_config = await settled((cb) => mp.track("Node After Set Config", { distinct_id: "n7" }, cb));
  const data = { $token: job.token, $distinct_id: "raw-node", $set: { via: "send_request" } };
  out.send_request = await settled((cb) => mp.send_request({ method: "POST", endpoint: "/engage", data }, cb));
  out.send_event_request = await settled((cb) =>
    mp.send_event_request("/track", "Node Send Event", { distinct_id: "n8", $insert_id: "nse-1" }, cb),
  );

  const flagsConfig = { api_host: job.host };
  const flagged = client({
    local_flags_config: { ...flagsConfig, enable_polling: false },
    remote_flags_config: flagsConfig,
  });
  const context = { distinct_id: job.exposed };
  const local = flagged.local_flags;
  const remote = flagged.remote_flags;
  local.startPollingForDefinitions();
  await local.areFlagsReady(); // a promise of the first definitions fetch
  const localVariant = local.getVariant(job.key, { variant_value: "fallback" }, context, false);
  out.local_variant = localVariant.variant_key;
  local.trackExposureEvent(job.key, localVariant, context);
  local.stopPollingForDefinitions();
  local.shutdown();
  const answer = await remote.callFlagsEndpoint({ context: JSON.stringify(context) });
  out.endpoint_keys = Object.keys(answer.flags).sort();
  out.endpoint_variant = answer.flags[job.key].variant_key;
  const remoteVariant = await remote.getVariant(job.key, { variant_value: "fallback" }, context, false);
  remote.trackExposureEvent(job.key, remoteVariant, context, 5);
  remote.shutdown();
  await new Promise((resolve) => setTimeout(resolve, 500)); // the exposures are on their way
  return out;
}

const scenarios = { ingest, flags, more };
scenarios[job.scenario]()
  .then((answer) => {
    process.stdout.write(JSON.stringify(answer));
  })
  .catch((err) => {
    process.stdout.write(JSON.stringify({ error: String(err && err.stack) }));
    process.exitCode = 1;
  });
