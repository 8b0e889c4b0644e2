// Drives the official browser SDK against the emulator, then reports what the page saw to the
// test server (POST /report): every callback's status, distinct ids and read-back values.
// The page URL carries `api` (the emulator's base URL), `token`, `scenario` (sdk | replay | flags
// | more)
// and, for some scenarios, `job` (JSON).
import mixpanel from '/sdk/mixpanel.module.js';

const params = new URLSearchParams(location.search);
const API = params.get('api');
const TOKEN = params.get('token');
const out = {statuses: {}, values: {}, errors: []};

// Progress marks in the page itself (`--dump-dom` shows them when a run needs debugging).
function mark(text) {
  const log = document.getElementById('log');
  if (log) log.textContent += text + '\n';
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs `fn(callback)` and records what the SDK passed to the callback under `name`.
function call(name, fn) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (status) => {
      if (settled) return;
      settled = true;
      out.statuses[name] = status;
      mark(name + ' -> ' + JSON.stringify(status));
      resolve(status);
    };
    setTimeout(() => done('no callback'), 5000);  // so one silent call cannot stall the page
    try {
      fn(done);
    } catch (err) {
      out.errors.push(name + ': ' + err);
      done('threw');
    }
  });
}

function init(config, name) {
  return new Promise((resolve) => {
    const base = {api_host: API, ignore_dnt: true, persistence: 'localStorage', loaded: resolve};
    mark('init ' + (name || 'mixpanel'));
    mixpanel.init(TOKEN, Object.assign(base, config), name);
  });
}

async function sdkScenario() {
  const mp = await init({batch_requests: false});
  out.values.first_distinct_id = mp.get_distinct_id();
  out.values.api_host = mp.get_config('api_host');

  mp.register({plan: 'pro', temp: 1});
  mp.push(['register', {pushed: true}]);
  mp.name_tag('ada');
  mp.register_once({first_seen: 'yes'});
  mp.register_once({first_seen: 'no'});
  mp.unregister('temp');
  out.values.plan_property = mp.get_property('plan');
  mp.set_config({cookie_expiration: 30});
  out.values.cookie_expiration = mp.get_config('cookie_expiration');

  await call('track', (cb) => mp.track('Page Loaded', {n: 1}, cb));
  mp.time_event('Checkout');
  await sleep(20);
  await call('track_timed', (cb) => mp.track('Checkout', {cart: 3}, cb));
  mp.track_pageview({page: 'home'});
  mp.disable(['Disabled Event']);
  await call('track_disabled', (cb) => { mp.track('Disabled Event', {}, cb); setTimeout(() => cb('not sent'), 300); });

  mp.identify('user-1');
  out.values.identified = mp.get_distinct_id();
  await call('people.set', (cb) => mp.people.set({name: 'Ada', plan: 'pro', drop: 'me'}, cb));
  await call('people.set_once', (cb) => mp.people.set_once({created: '2024'}, cb));
  await call('people.set_once_again', (cb) => mp.people.set_once({created: '2025'}, cb));
  await call('people.unset', (cb) => mp.people.unset('drop', cb));
  await call('people.increment', (cb) => mp.people.increment('logins', 2, cb));
  await call('people.increment_again', (cb) => mp.people.increment({logins: 1, visits: 3}, cb));
  await call('people.append', (cb) => mp.people.append('tags', 'a', cb));
  await call('people.append_again', (cb) => mp.people.append('tags', 'b', cb));
  await call('people.remove', (cb) => mp.people.remove('tags', 'a', cb));
  await call('people.union', (cb) => mp.people.union('langs', ['py', 'js'], cb));
  mp.people.track_charge(5, {sku: 'old'});  // deprecated: the SDK sends nothing
  await call('people.clear_charges', (cb) => mp.people.clear_charges(cb));

  await call('set_group', (cb) => mp.set_group('company', 'acme', cb));
  await call('add_group', (cb) => mp.add_group('company', 'globex', cb));
  await call('remove_group', (cb) => mp.remove_group('company', 'globex', cb));
  const acme = mp.get_group('company', 'acme');
  await call('group.set', (cb) => acme.set({size: 10, drop: 1}, cb));
  await call('group.set_once', (cb) => acme.set_once({founded: 1999}, cb));
  await call('group.set_once_again', (cb) => acme.set_once({founded: 2001}, cb));
  await call('group.unset', (cb) => acme.unset('drop', cb));
  await call('group.union', (cb) => acme.union('tags', ['x', 'y'], cb));
  await call('group.remove', (cb) => acme.remove('tags', 'x', cb));
  await call('track_with_groups', (cb) => mp.track_with_groups('Group Event', {n: 2}, {company: 'acme'}, cb));

  mp.track_links('#lnk', 'Link Clicked', {kind: 'link'});
  mp.track_forms('#frm', 'Form Sent', {kind: 'form'});
  document.getElementById('lnk').click();
  document.getElementById('frm').requestSubmit();
  await sleep(600);

  await call('alias', (cb) => { mp.alias('alias-1', 'user-1'); setTimeout(() => cb('sent'), 300); });

  mp.identify('user-2');
  await call('people.set_user2', (cb) => mp.people.set({temp: true}, cb));
  mp.people.delete_user();  // takes no callback
  await sleep(300);

  // Opting out deletes the profile and clears persistence (the SDK's defaults); nothing is sent
  // until opting in again, which tracks `$opt_in`.
  mp.identify('optout-user');
  await call('people.set_optout', (cb) => mp.people.set({x: 1}, cb));
  mp.opt_out_tracking();
  out.values.opted_out = mp.has_opted_out_tracking();
  await call('track_opted_out', (cb) => { mp.track('Opted Out Event', {}, cb); setTimeout(() => cb('not sent'), 300); });
  mp.opt_in_tracking();
  out.values.opted_in = mp.has_opted_in_tracking();
  await call('track_opted_in', (cb) => mp.track('Opted In Event', {}, cb));
  mp.clear_opt_in_out_tracking();
  out.values.after_opt_in = mp.get_distinct_id();

  mp.reset();
  out.values.after_reset = mp.get_distinct_id();
  await call('track_after_reset', (cb) => mp.track('After Reset', {}, cb));

  const verbose = await init({batch_requests: false, verbose: true}, 'verbose');
  await call('verbose.track', (cb) => verbose.track('Verbose Event', {}, cb));

  mp.track('Beacon Event', {kind: 'beacon'}, {transport: 'sendBeacon'});

  const getter = await init({batch_requests: false, api_method: 'GET'}, 'getter');
  await call('get.track', (cb) => getter.track('GET Event', {}, cb));
  const json = await init({batch_requests: false, api_payload_format: 'json'}, 'json');
  await call('json.track', (cb) => json.track('JSON Event', {}, cb));
  const auto = await init({batch_requests: false, autocapture: {click: true, pageview: false}}, 'auto');
  document.getElementById('btn').click();
  await sleep(300);
  out.values.auto_distinct_id = auto.get_distinct_id();

  const batched = await init({batch_flush_interval_ms: 100}, 'batched');
  batched.identify('batch-user');
  batched.track('Batched 1', {});
  batched.track('Batched 2', {});
  batched.people.set({batched: true});
  await sleep(400);
}

async function replayScenario() {
  const mp = await init({batch_requests: false, record_sessions_percent: 100,
                         record_min_ms: 0, record_idle_timeout_ms: 60000});
  mp.identify('replay-user');
  await sleep(300);
  for (let i = 0; i < 5; i++) {
    document.getElementById('text').textContent = 'step ' + i;
    document.getElementById('btn').click();
    await sleep(100);
  }
  out.values.recording = mp.get_session_recording_properties();
  out.values.replay_url = mp.get_session_replay_url();
  await call('track_in_replay', (cb) => mp.track('Clicked In Replay', {step: 5}, cb));
  mp.stop_session_recording();
  await sleep(1500);
}

// The SDK's variant as plain JSON (a Map entry's value or a get_variant answer).
function variantOf(v) {
  return v && {key: v.key === undefined ? null : v.key, value: v.value === undefined ? null : v.value,
               is_qa_tester: v.is_qa_tester === undefined ? null : v.is_qa_tester,
               variant_source: v.variant_source || null, fallback_reason: v.fallback_reason || null};
}

// Feature flags: the variants of every context in `job.contexts` (set through update_context,
// read with get_all_variants_sync, which reports no exposure), then each flags method as `qa-1`,
// whose checks report exposures.
async function flagsScenario() {
  const job = JSON.parse(params.get('job'));
  const mp = await init({batch_requests: false, flags: {context: {}}}, 'flags');
  out.values.ready_before_load = mp.flags.are_flags_ready();
  // Waits for the first fetch (init's, or one of its own); rejects when the fetch failed.
  await mp.flags.load_flags().catch((err) => { out.values.load_error = String(err); });
  out.values.ready_after_load = mp.flags.are_flags_ready();
  out.values.rows = [];
  for (const context of job.contexts) {
    await mp.flags.update_context(context, {replace: true});
    const row = {};
    for (const [key, variant] of mp.flags.get_all_variants_sync()) row[key] = variantOf(variant);
    out.values.rows.push(row);
  }

  await mp.flags.update_context({}, {replace: true});
  mp.identify(job.exposed);  // a new distinct id fetches the flags again
  await mp.flags.when_ready().catch((err) => { out.values.identify_error = String(err); });
  const fallback = {key: 'fallback', value: 'fallback'};
  const got = out.values.calls = {};
  got.get_variant = variantOf(await mp.flags.get_variant('checkout', fallback));
  got.get_variant_again = variantOf(await mp.flags.get_variant('checkout', fallback));
  got.get_variant_value = await mp.flags.get_variant_value('checkout', 'x');
  got.get_variant_sync = variantOf(mp.flags.get_variant_sync('beta', fallback));
  got.get_variant_value_sync = mp.flags.get_variant_value_sync('splits', 'x');
  got.is_enabled = await mp.flags.is_enabled('override', true);
  got.is_enabled_sync = mp.flags.is_enabled_sync('pro_only', true);
  got.is_enabled_not_boolean = await mp.flags.is_enabled('checkout', true);
  got.switched_off = variantOf(await mp.flags.get_variant('switched_off', fallback));
  got.unknown = variantOf(await mp.flags.get_variant('no_such_flag', fallback));
  got.get_feature_data = await mp.flags.get_feature_data('checkout', 'x');
  got.all = Object.fromEntries([...(await mp.flags.get_all_variants())].map(([k, v]) => [k, v.key]));
  await mp.flags.load_flags().catch((err) => { out.values.reload_error = String(err); });
  got.ready = mp.flags.are_flags_ready();
  await sleep(500);  // the exposure events are on their way
}

// The public methods `sdkScenario` leaves out: hooks, enable, batch senders stopped and started,
// group deletion, the persistence helpers, tab id, and a recording started, paused and resumed by
// hand (sampling at 0%).
async function moreScenario() {
  const mp = await init({batch_flush_interval_ms: 100, record_sessions_percent: 0,
                         record_min_ms: 0, record_idle_timeout_ms: 60000});
  mp.identify('more-user');
  out.values.api_host = mp.get_api_host('events');
  out.values.tab_id = mp.get_tab_id();

  const renamed = (name, props) => [name + ' (hooked)', Object.assign({}, props, {hooked: true})];
  mp.add_hook('before_track', renamed);
  mp.track('Hook Event', {n: 1});
  mp.remove_hook('before_track', renamed);
  mp.track('Plain Event', {n: 2});
  mp.disable();
  mp.track('While Disabled', {});
  mp.enable();
  mp.disable(['Later']);
  mp.enable(['Later']);
  mp.track('Later', {});
  await sleep(500);  // the batch senders flush every 100 ms

  mp.stop_batch_senders();
  const stamp = (data) => { data.properties.stamped = true; return data; };
  mp.add_hook('before_send_events', stamp);
  await call('unbatched', (cb) => mp.track('Unbatched', {}, cb));
  mp.remove_hook('before_send_events', stamp);
  mp.start_batch_senders();
  mp.track('Batched Again', {});
  await sleep(500);

  mp.persistence.update_search_keyword('https://www.google.com/search?q=emulator');
  mp.persistence.update_referrer_info('https://example.com/from');
  out.values.cross_subdomain = mp.persistence.get_cross_subdomain();
  out.values.persisted = mp.persistence.properties();
  await call('after_keyword', (cb) => { mp.stop_batch_senders(); mp.track('After Keyword', {}, cb); });

  mp.set_group('team', ['red', 'blue']);
  await call('group.set_red', (cb) => mp.get_group('team', 'red').set({color: 'red'}, cb));
  await call('group.set_blue', (cb) => mp.get_group('team', 'blue').set({color: 'blue'}, cb));
  await call('group.delete', (cb) => mp.get_group('team', 'red').delete(cb));

  await mp.start_session_recording();
  for (let i = 0; i < 3; i++) {
    document.getElementById('text').textContent = 'more ' + i;
    await sleep(100);
  }
  await mp.pause_session_recording();
  out.values.paused = mp.get_session_recording_properties();
  await mp.resume_session_recording();
  document.getElementById('btn').click();
  await sleep(200);
  out.values.recording = mp.get_session_recording_properties();
  await call('track_in_replay', (cb) => mp.track('Clicked In Manual Replay', {}, cb));
  mp.stop_session_recording();
  await sleep(1500);

  mp.persistence.clear();
  out.values.after_clear = mp.persistence.properties();
}

const started = Date.now();
(async () => {
  try {
    const scenarios = {replay: replayScenario, flags: flagsScenario, more: moreScenario};
    await (scenarios[params.get('scenario')] || sdkScenario)();
  } catch (err) {
    out.errors.push('scenario: ' + (err && err.stack || err));
  }
  out.values.elapsed_ms = Date.now() - started;
  await fetch('/report', {method: 'POST', body: JSON.stringify(out)});
})();
