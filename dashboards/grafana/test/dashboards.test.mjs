// Checks of the Grafana dashboards (npm run test:dashboards): the committed JSON is what src/build.ts generates,
// every metric a panel or variable queries is exported by the node (or is a recording rule, or is listed as pending),
// every query parses (promtool, when installed), the dashboards and the provisioning files agree on the data source,
// and uids and titles are unique. Each check is
// a function returning a list of problems; each runs over the real dashboards and, to show it can fail, over a
// broken input.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GRAFANA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = path.resolve(GRAFANA_DIR, '..', '..');
const PROMETHEUS_DIR = path.join(REPO_DIR, 'dashboards', 'prometheus');
const PROVISIONING_DIR = path.join(GRAFANA_DIR, 'provisioning');
const BUILD_SCRIPT = path.join(GRAFANA_DIR, 'src', 'build.ts');
/** Where the dashboard provider expects the JSON files (README: how Grafana loads them). */
const DASHBOARDS_MOUNT = '/var/lib/grafana/dashboards/courier';
/** The only data source reference panels, queries and query variables may use. */
const DATASOURCE_REF = { type: 'prometheus', uid: '${datasource}' };

const tmpDirs = [];
after(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

// ---------------------------------------------------------------------------------------------------------------
// Inputs

/** Runs src/build.ts through tsx with the given arguments. */
function runBuild(args) {
  return spawnSync(process.execPath, ['--import', 'tsx', BUILD_SCRIPT, ...args], { cwd: REPO_DIR, encoding: 'utf8' });
}

/** The committed dashboards: [{ file, json }], one per *.json file of dashboards/grafana. */
function loadDashboards(dir = GRAFANA_DIR) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((file) => ({ file, json: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/** Every panel of a dashboard, rows' collapsed panels included. */
function panelsOf(dashboard) {
  return (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every PromQL expression a dashboard runs: panel targets and query variables, with where each one is. */
function queriesOf(dashboard) {
  const out = [];
  for (const p of panelsOf(dashboard)) {
    for (const t of p.targets ?? []) out.push({ where: `panel "${p.title}" (${t.refId})`, expr: t.expr ?? '' });
  }
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type === 'query') out.push({ where: `variable "${v.name}"`, expr: typeof v.query === 'string' ? v.query : v.query?.query ?? '' });
  }
  return out;
}

/** The Courier metric names an expression uses: identifiers starting with courier_ or courier:. */
export function metricNames(expr) {
  return [...new Set(expr.match(/(?<![A-Za-z0-9_:$])courier[_:][A-Za-z0-9_:]*/g) ?? [])];
}

/**
 * The series names the node exposes, from its Java sources. A metric whose type shows in its registration
 * (`Counter.builder().name("...")`) gets the names client_java 1.x exposes for that type: a counter `<base>_total`, a
 * histogram `_bucket`, `_sum` and `_count`, a gauge its name. Any other "courier_..." literal in the sources is
 * accepted with any of these suffixes.
 */
function javaMetricNames(root = REPO_DIR) {
  const sources = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'target' && !e.name.startsWith('.')) walk(p);
      } else if (e.name.endsWith('.java') && p.includes(`${path.sep}src${path.sep}main${path.sep}java${path.sep}`)) {
        sources.push(fs.readFileSync(p, 'utf8'));
      }
    }
  };
  walk(root);
  return exposedNames(sources.join('\n'));
}

/** The exposed series names registered in some Java source text (see javaMetricNames). */
export function exposedNames(javaText) {
  const names = new Set();
  const typed = new Set();
  for (const [, type, name] of javaText.matchAll(/\b(Counter|Gauge|Histogram|Summary)\.builder\(\)\s*\.name\(\s*"(courier_[a-z0-9_]+)"/g)) {
    typed.add(name);
    const base = name.replace(/_total$/, '');
    if (type === 'Counter') names.add(`${base}_total`);
    else if (type === 'Gauge') names.add(name);
    else if (type === 'Histogram') ['_bucket', '_sum', '_count'].forEach((s) => names.add(name + s));
    else ['', '_sum', '_count'].forEach((s) => names.add(name + s)); // Summary
  }
  for (const [, name] of javaText.matchAll(/"(courier_[a-z0-9_]+)"/g)) {
    if (typed.has(name)) continue;
    const base = name.replace(/_(total|bucket|sum|count)$/, '');
    for (const s of ['', '_total', '_bucket', '_sum', '_count']) names.add(base + s);
  }
  return names;
}

/** Recording rules defined in dashboards/prometheus/rules/*.yml. */
function recordingRules(dir = path.join(PROMETHEUS_DIR, 'rules')) {
  const names = new Set();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yml'))) {
    for (const [, name] of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^\s*-\s*record:\s*['"]?([A-Za-z0-9_:]+)/gm)) names.add(name);
  }
  return names;
}

/** Names in pending-metrics.txt (one a line, # starts a comment); a pending histogram may be queried by its series. */
export function pendingNames(text = fs.readFileSync(path.join(PROMETHEUS_DIR, 'pending-metrics.txt'), 'utf8')) {
  const names = new Set();
  for (const line of text.split('\n')) {
    const name = line.replace(/#.*/, '').trim();
    if (name) for (const s of ['', '_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

/** The values of every `key:` line of a small YAML file (enough for the provisioning files). */
function yamlValues(text, key) {
  return [...text.matchAll(new RegExp(`^\\s*-?\\s*${key}:\\s*['"]?([^'"#\\s]+)`, 'gm'))].map((m) => m[1]);
}

// ---------------------------------------------------------------------------------------------------------------
// Checks: each returns a list of problems

/** Metrics queried that the node does not export, no recording rule defines and pending-metrics.txt does not list. */
export function checkMetrics(dashboards, known) {
  const problems = [];
  for (const { file, json } of dashboards) {
    for (const { where, expr } of queriesOf(json)) {
      for (const name of metricNames(expr)) {
        if (!known.java.has(name) && !known.rules.has(name) && !known.pending.has(name)) {
          problems.push(`${file}: ${where} uses ${name}, which the node does not export (Java sources), no recording rule in dashboards/prometheus/rules defines, and dashboards/prometheus/pending-metrics.txt does not list`);
        }
      }
    }
    if (queriesOf(json).length === 0) problems.push(`${file}: no queries`);
  }
  return problems;
}

/**
 * The dashboards read from the provisioned Prometheus: a `datasource` variable of type prometheus preselecting the
 * provisioned uid, and every panel, query and query variable through that variable.
 */
export function checkDatasources(dashboards, provisionedUids) {
  const problems = [];
  if (provisionedUids.length !== 1) problems.push(`provisioning/datasources: expected one data source uid, found ${JSON.stringify(provisionedUids)}`);
  const uid = provisionedUids[0];
  const isRef = (ds) => ds?.type === DATASOURCE_REF.type && ds?.uid === DATASOURCE_REF.uid;
  for (const { file, json } of dashboards) {
    const vars = json.templating?.list ?? [];
    const dsVar = vars.find((v) => v.name === 'datasource');
    if (!dsVar || dsVar.type !== 'datasource' || dsVar.query !== 'prometheus') {
      problems.push(`${file}: no "datasource" variable of type datasource for prometheus`);
    } else if (dsVar.current?.value !== uid) {
      problems.push(`${file}: the datasource variable preselects "${dsVar.current?.value}", the provisioned data source is "${uid}"`);
    }
    for (const v of vars.filter((x) => x.type === 'query')) {
      if (!isRef(v.datasource)) problems.push(`${file}: variable "${v.name}" reads from ${JSON.stringify(v.datasource)}, not \${datasource}`);
    }
    for (const p of panelsOf(json).filter((x) => x.type !== 'row')) {
      if (!isRef(p.datasource)) problems.push(`${file}: panel "${p.title}" reads from ${JSON.stringify(p.datasource)}, not \${datasource}`);
      for (const t of p.targets ?? []) {
        if (!isRef(t.datasource)) problems.push(`${file}: panel "${p.title}" query ${t.refId} reads from ${JSON.stringify(t.datasource)}, not \${datasource}`);
      }
    }
  }
  return problems;
}

/** Unique uids and titles (file named after the uid), the `courier` tag, and panels that say what they show. */
export function checkIdentity(dashboards) {
  const problems = [];
  const seen = { uid: new Map(), title: new Map() };
  for (const { file, json } of dashboards) {
    for (const key of ['uid', 'title']) {
      if (!json[key]) problems.push(`${file}: no ${key}`);
      else if (seen[key].has(json[key])) problems.push(`${file}: ${key} "${json[key]}" is also the ${key} of ${seen[key].get(json[key])}`);
      else seen[key].set(json[key], file);
    }
    if (json.uid && file !== `${json.uid}.json`) problems.push(`${file}: should be named after its uid, ${json.uid}.json`);
    if (!(json.tags ?? []).includes('courier')) problems.push(`${file}: no "courier" tag`);
    const ids = new Set();
    for (const p of panelsOf(json)) {
      if (ids.has(p.id)) problems.push(`${file}: panel id ${p.id} used twice`);
      ids.add(p.id);
      if (p.type === 'row') continue;
      if (!p.description) problems.push(`${file}: panel "${p.title}" has no description`);
      if (!p.fieldConfig?.defaults?.unit) problems.push(`${file}: panel "${p.title}" has no unit`);
      if ((p.targets ?? []).length === 0) problems.push(`${file}: panel "${p.title}" has no query`);
    }
  }
  return problems;
}

/** promtool, as check.sh finds it (PROMTOOL overrides), or null when there is none. */
function findPromtool() {
  const promtool = process.env.PROMTOOL || 'promtool';
  return spawnSync(promtool, ['--version'], { encoding: 'utf8' }).status === 0 ? promtool : null;
}

/**
 * Panel queries that are not valid PromQL, as `promtool check rules` sees them once Grafana's variables are
 * replaced ($__rate_interval by 5m, any other $var by a placeholder): each query becomes a recording rule.
 */
export function checkPromql(dashboards, promtool) {
  const where = [];
  let yaml = 'groups:\n  - name: dashboards\n    rules:\n';
  for (const { file, json } of dashboards) {
    for (const p of panelsOf(json)) {
      for (const t of p.targets ?? []) {
        const expr = (t.expr ?? '').replace(/\$__(rate_interval|interval|range)\b/g, '5m').replace(/\$\{?\w+\}?/g, 'x');
        yaml += `      - record: query_${where.length}\n        expr: ${JSON.stringify(expr)}\n`;
        where.push(`${file}: panel "${p.title}" (${t.refId})`);
      }
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboards-promql-'));
  tmpDirs.push(dir);
  fs.writeFileSync(path.join(dir, 'queries.yml'), yaml);
  const r = spawnSync(promtool, ['check', 'rules', path.join(dir, 'queries.yml')], { encoding: 'utf8' });
  if (r.status === 0) return [];
  const out = `${r.stdout}${r.stderr}`;
  const named = [...out.matchAll(/query_(\d+)/g)].map((m) => where[Number(m[1])]);
  return [`promtool check rules failed${named.length ? ` (${[...new Set(named)].join('; ')})` : ''}:\n${out.trim()}`];
}

// ---------------------------------------------------------------------------------------------------------------
// Tests

const dashboards = loadDashboards();

describe('generated files', () => {
  test('there are the five dashboards', () => {
    assert.deepEqual(dashboards.map((d) => d.file),
      ['courier-chain.json', 'courier-oracle.json', 'courier-overview.json', 'courier-route.json', 'courier-submitter.json']);
  });

  test('the committed JSON is what src/build.ts generates (build.ts --check)', () => {
    const r = runBuild(['--check']);
    assert.equal(r.status, 0, `dashboards/grafana is stale; run npm run build:dashboards\n${r.stdout}${r.stderr}`);
  });

  test('--check names a changed, a missing and an unknown JSON file, and fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboards-'));
    tmpDirs.push(dir);
    for (const { file } of dashboards) fs.copyFileSync(path.join(GRAFANA_DIR, file), path.join(dir, file));
    const chain = path.join(dir, 'courier-chain.json');
    fs.writeFileSync(chain, fs.readFileSync(chain, 'utf8').replace('"Courier / Chain"', '"Courier / Chain (edited by hand)"'));
    fs.rmSync(path.join(dir, 'courier-oracle.json'));
    fs.writeFileSync(path.join(dir, 'old-dashboard.json'), '{}\n');
    const r = runBuild(['--check', '--dir', dir]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /courier-chain\.json: stale \(line \d+: expected "  \\"title\\": \\"Courier \/ Chain\\",", found/);
    assert.match(r.stderr, /courier-oracle\.json: missing/);
    assert.match(r.stderr, /old-dashboard\.json: no dashboard builds it/);
    assert.doesNotMatch(r.stderr, /courier-overview\.json/);
  });

  test('a trailing newline is part of the format: a file without it is stale', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboards-'));
    tmpDirs.push(dir);
    for (const { file } of dashboards) fs.copyFileSync(path.join(GRAFANA_DIR, file), path.join(dir, file));
    const route = path.join(dir, 'courier-route.json');
    fs.writeFileSync(route, fs.readFileSync(route, 'utf8').trimEnd());
    const r = runBuild(['--check', '--dir', dir]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /courier-route\.json: stale/);
  });

  test('no other *.json under dashboards/grafana (the provider mounts the whole folder and loads every one)', () => {
    const stray = [];
    const walk = (dir, depth) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name), depth + 1);
        else if (e.name.endsWith('.json') && depth > 0) stray.push(path.relative(GRAFANA_DIR, path.join(dir, e.name)));
      }
    };
    walk(GRAFANA_DIR, 0);
    assert.deepEqual(stray, []);
  });
});

describe('metric names', () => {
  const known = { java: javaMetricNames(), rules: recordingRules(), pending: pendingNames() };

  test('the sources, rules and pending list are found', () => {
    for (const n of ['courier_chain_head_block', 'courier_rpc_requests_total', 'courier_api_requests_total',
      'courier_delivery_duration_seconds_bucket', 'courier_delivery_duration_seconds_count']) assert.ok(known.java.has(n), n);
    assert.ok(known.rules.has('courier:delivery_slo_error_ratio:rate1h'));
    // the fee-bump metrics were the last pending ones: the node exports them now and the list may be empty
    assert.ok(known.java.has('courier_fee_bumps_total') && known.java.has('courier_fee_bumps_exhausted'));
    assert.ok(!known.pending.has('courier_fee_bumps_total'));
  });

  test('every metric a dashboard queries is exported, a recording rule, or pending', () => {
    assert.deepEqual(checkMetrics(dashboards, known), []);
  });

  test('names are read from PromQL: courier_ and courier: identifiers, not labels or variables', () => {
    assert.deepEqual(metricNames(
      'histogram_quantile(0.9, sum by (le) (rate(courier_delivery_duration_seconds_bucket{route="$route"}[$__rate_interval])))'
      + ' / ignoring (x) courier:signer_hours_left:rate6h + on (chain_id) label_replace(courier_chain_info, "chain_id", "$1", "route", ".*")'),
    ['courier_delivery_duration_seconds_bucket', 'courier:signer_hours_left:rate6h', 'courier_chain_info']);
    assert.deepEqual(metricNames('sum(rate(x_courier_y[5m])) + $courier_var'), []);
  });

  test('client_java naming: counters as _total, histograms as _bucket/_sum/_count, gauges as named', () => {
    const names = exposedNames(`
      Counter.builder().name("courier_a_total"); Counter.builder()
          .name("courier_b");
      Histogram.builder().name("courier_c_seconds"); Gauge.builder().name("courier_d");
      String other = "courier_e";`);
    for (const n of ['courier_a_total', 'courier_b_total', 'courier_c_seconds_bucket', 'courier_c_seconds_sum',
      'courier_c_seconds_count', 'courier_d', 'courier_e', 'courier_e_total']) assert.ok(names.has(n), n);
    for (const n of ['courier_b', 'courier_c_seconds', 'courier_d_total', 'courier_d_bucket']) assert.ok(!names.has(n), n);
  });

  test('an unknown metric, a wrong suffix and an unknown recording rule fail the check', () => {
    const broken = {
      file: 'broken.json',
      json: {
        panels: [{
          type: 'timeseries', title: 'made up',
          targets: [
            { refId: 'A', expr: 'rate(courier_made_up_total[5m])' },
            { refId: 'B', expr: 'courier_chain_head_block_bucket + courier_chain_head_block' },
            { refId: 'C', expr: 'courier:no_such_rule:rate5m' },
          ],
        }],
        templating: { list: [{ type: 'query', name: 'x', query: 'label_values(courier_nope, x)' }] },
      },
    };
    const problems = checkMetrics([broken], known);
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems[0], /broken\.json: panel "made up" \(A\) uses courier_made_up_total, which the node does not export/);
    assert.match(problems[1], /\(B\) uses courier_chain_head_block_bucket/);
    assert.match(problems[2], /\(C\) uses courier:no_such_rule:rate5m/);
    assert.match(problems[3], /variable "x" uses courier_nope/);
  });

  test('a name listed in pending-metrics.txt passes, with its histogram series', () => {
    const pending = pendingNames('courier_future_seconds   # histogram {x}: not yet\n# courier_commented_out\n');
    const dash = { file: 'f.json', json: { panels: [{ title: 'p', targets: [{ refId: 'A', expr: 'courier_future_seconds_bucket + courier_commented_out' }] }] } };
    const problems = checkMetrics([dash], { java: new Set(), rules: new Set(), pending });
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /courier_commented_out/);
  });
});

describe('PromQL', () => {
  const promtool = findPromtool();
  const skip = promtool ? false : 'promtool not found (apt-get install -y prometheus, or set PROMTOOL)';

  test('every panel query is valid PromQL (promtool check rules)', { skip }, () => {
    assert.deepEqual(checkPromql(dashboards, promtool), []);
  });

  test('a query with a syntax error fails the check', { skip }, () => {
    const broken = { file: 'broken.json', json: { panels: [{ title: 'typo', targets: [{ refId: 'A', expr: 'sum(rate(courier_gas_used_total[$__rate_interval])' }] }] } };
    const problems = checkPromql([broken], promtool);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /promtool check rules failed \(broken\.json: panel "typo" \(A\)\)/);
  });
});

describe('data source and provisioning', () => {
  const datasourcesYaml = fs.readFileSync(path.join(PROVISIONING_DIR, 'datasources', 'prometheus.yaml'), 'utf8');
  const providerYaml = fs.readFileSync(path.join(PROVISIONING_DIR, 'dashboards', 'courier.yaml'), 'utf8');
  const provisionedUids = yamlValues(datasourcesYaml, 'uid');

  test('the provisioned Prometheus is the data source every dashboard, panel and query uses', () => {
    assert.deepEqual(yamlValues(datasourcesYaml, 'type'), ['prometheus']);
    assert.deepEqual(checkDatasources(dashboards, provisionedUids), []);
  });

  test('the Terraform module creates the data source with the same uid by default', () => {
    const tf = fs.readFileSync(path.join(REPO_DIR, 'infra-terraform', 'modules', 'observability', 'variables.tf'), 'utf8');
    const m = tf.match(/variable "grafana_datasource_uid" \{[^}]*?default\s*=\s*"([^"]+)"/);
    assert.ok(m, 'grafana_datasource_uid has no default');
    assert.deepEqual([m[1]], provisionedUids);
  });

  test('the dashboard provider is a file provider reading the folder the JSON files are mounted at', () => {
    assert.deepEqual(yamlValues(providerYaml, 'type'), ['file']);
    assert.deepEqual(yamlValues(providerYaml, 'path'), [DASHBOARDS_MOUNT]);
  });

  test('another uid in provisioning, a panel or a query fails the check', () => {
    const dash = structuredClone(dashboards.find((d) => d.file === 'courier-chain.json'));
    dash.json.panels[1].datasource = { type: 'prometheus', uid: 'some-other-prometheus' };
    dash.json.panels[2].targets[0].datasource = { type: 'prometheus', uid: 'courier-prometheus' };
    dash.json.templating.list.find((v) => v.name === 'chain').datasource = undefined;
    let problems = checkDatasources([dash], provisionedUids);
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems.join('\n'), /panel "Head block" reads from .*some-other-prometheus/);
    assert.match(problems.join('\n'), /panel "Finalized block" query A reads from/);
    assert.match(problems.join('\n'), /variable "chain" reads from undefined/);

    problems = checkDatasources(dashboards, ['renamed-prometheus']);
    assert.equal(problems.length, dashboards.length, problems.join('\n'));
    assert.match(problems[0], /preselects "courier-prometheus", the provisioned data source is "renamed-prometheus"/);
    assert.match(checkDatasources(dashboards, []).join('\n'), /expected one data source uid/);
  });
});

describe('identity', () => {
  test('uids and titles are unique, files are named after their uid, every dashboard is tagged courier, every panel has a description, a unit and a query', () => {
    assert.deepEqual(checkIdentity(dashboards), []);
  });

  test('a duplicate uid or title, a misnamed file, a missing tag or description fail the check', () => {
    const [a, b] = structuredClone(dashboards.slice(0, 2));
    b.json.uid = a.json.uid;
    b.json.title = a.json.title;
    b.json.tags = [];
    delete b.json.panels.find((p) => p.type !== 'row').description;
    const problems = checkIdentity([a, b]);
    assert.match(problems.join('\n'), new RegExp(`${b.file}: uid "${a.json.uid}" is also the uid of ${a.file}`));
    assert.match(problems.join('\n'), new RegExp(`${b.file}: title ".*" is also the title of ${a.file}`));
    assert.match(problems.join('\n'), new RegExp(`${b.file}: should be named after its uid`));
    assert.match(problems.join('\n'), /no "courier" tag/);
    assert.match(problems.join('\n'), /has no description/);
  });
});
