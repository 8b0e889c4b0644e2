// Drives the official browser SDK against the emulator, then reports what the page saw to the
// test server (POST /report): every callback's status, distinct ids and read-back values.
// The page URL carries `api` (the emulator's base URL), `token` and `scenario` (sdk | replay).
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

const started = Date.now();
(async () => {
  try {
    await (params.get('scenario') === 'replay' ? replayScenario() : sdkScenario());
  } catch (err) {
    out.errors.push('scenario: ' + (err && err.stack || err));
  }
  out.values.elapsed_ms = Date.now() - started;
  await fetch('/report', {method: 'POST', body: JSON.stringify(out)});
})();
