// Offline checks of Courier's Terraform (Terraform itself cannot be installed here): every .tf file is parsed with
// @cdktf/hcl2json (HCL -> the JSON form of the configuration) and the checks below look at the parsed result.
// Each check returns a list of problems (strings); an empty list means it passed. Used by ../test/*.test.mjs.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const hcl2json = require('@cdktf/hcl2json');

export const INFRA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(INFRA_DIR, '..');

/** Paths a configuration may reference before they exist, with the issue that brings them. */
export const PENDING_PATHS = {};

/** Module meta-arguments: never variables of the called module. */
const MODULE_META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** Parses one file's HCL; rejects with hcl2json's error, which names file:line,col. */
export async function parseHcl(fileName, text) {
  return hcl2json.parse(fileName, text);
}

/** The .tf files of one directory (not recursive), parsed and merged into one module. */
export async function loadModule(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  const sources = {};
  for (const f of files) sources[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return moduleFromSources(sources, dir);
}

/** A module from in-memory files ({ 'main.tf': '...' }), e.g. small inline fixtures in tests. */
export async function moduleFromSources(sources, dir = '/nonexistent') {
  const mod = { dir, files: {}, variable: {}, output: {}, module: {}, resource: {}, data: {}, locals: [], terraform: [], provider: {} };
  for (const [name, text] of Object.entries(sources)) {
    const json = await parseHcl(path.join(dir, name), text);
    mod.files[name] = json;
    for (const [key, blocks] of Object.entries(json)) {
      if (key === 'variable' || key === 'output' || key === 'module' || key === 'provider') {
        for (const [n, list] of Object.entries(blocks)) mod[key][n] = { ...list[0], _file: name };
      } else if (key === 'resource' || key === 'data') {
        for (const [type, byName] of Object.entries(blocks)) {
          mod[key][type] ??= {};
          for (const [n, list] of Object.entries(byName)) mod[key][type][n] = { ...list[0], _file: name };
        }
      } else if (key === 'locals' || key === 'terraform') {
        mod[key].push(...blocks);
      }
    }
  }
  return mod;
}

/** Every directory under infra-terraform holding .tf files (skips .terraform and node_modules). */
export function terraformDirs(root = INFRA_DIR) {
  const out = [];
  const walk = (d) => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) out.push(d);
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(path.join(d, e.name));
    }
  };
  walk(root);
  return out.sort();
}

/** Calls fn(string, pathOfKeys) for every string in a parsed value. */
export function eachString(value, fn, at = []) {
  if (typeof value === 'string') fn(value, at);
  else if (Array.isArray(value)) value.forEach((v, i) => eachString(v, fn, [...at, i]));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== '_file') eachString(v, fn, [...at, k]);
  }
}

/** Every string of a module with where it is: [string, ['resource', type, name, ...keys]]. */
function moduleStrings(mod) {
  const out = [];
  for (const kind of ['variable', 'output', 'module', 'resource', 'data', 'provider']) {
    eachString(mod[kind], (s, at) => out.push([s, [kind, ...at]]));
  }
  eachString(mod.locals, (s, at) => out.push([s, ['locals', ...at]]));
  eachString(mod.terraform, (s, at) => out.push([s, ['terraform', ...at]]));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------------------------------

export const REQUIRED_MODULE_FILES = ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md'];

export function checkLayout(dir) {
  return REQUIRED_MODULE_FILES.filter((f) => !fs.existsSync(path.join(dir, f))).map((f) => `${rel(dir)}: no ${f}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Variables
// ---------------------------------------------------------------------------------------------------------------------

/** A name that holds a secret value itself (not a reference to one such as an ARN, id or name). */
export function isSecretValueName(name) {
  return /(^|_)(key|keys|secret|secrets|password|passphrase|token|tokens|credential|credentials|private_key)(_|$)/.test(name)
    && !/_(arn|arns|id|ids|name|names|file|path|prefix)$/.test(name);
}

const isCidrName = (n) => /(^|_)cidrs?(_|$)/.test(n);
const isSizeName = (n) => /(^|_)(count|size|nodes|replicas)$/.test(n) || /_(gb|gib|mb)$/.test(n);
const isVersionName = (n) => /(^|_)version$/.test(n);
const isPortName = (n) => /(^|_)port$/.test(n);

function conditions(block) {
  return (block.validation ?? []).map((v) => String(v.condition ?? ''));
}

export function checkVariables(mod) {
  const problems = [];
  for (const [name, v] of Object.entries(mod.variable)) {
    const where = `${rel(mod.dir)}/${v._file}: variable "${name}"`;
    if (v.type === undefined) problems.push(`${where} has no type`);
    if (typeof v.description !== 'string' || v.description.trim() === '') problems.push(`${where} has no description`);
    const conds = conditions(v);
    if (isCidrName(name) && !conds.some((c) => /\bcidr(host|netmask|subnet)\(/.test(c))) {
      problems.push(`${where} holds CIDR blocks but no validation checks them with cidrhost()`);
    }
    if (isSizeName(name) && conds.length === 0) problems.push(`${where} is a size but has no validation of its range`);
    if (isVersionName(name) && !conds.some((c) => /\bregex\(/.test(c))) {
      problems.push(`${where} is a version but no validation checks it with regex()`);
    }
    if (isPortName(name) && conds.length === 0) problems.push(`${where} is a port but has no validation of its range`);
    if (isSecretValueName(name)) {
      if ('default' in v) problems.push(`${where} holds a secret but has a default`);
      if (v.sensitive !== true) problems.push(`${where} holds a secret but is not sensitive = true`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------------------------

export function checkOutputs(mod) {
  const problems = [];
  const sensitiveVars = new Set(Object.entries(mod.variable).filter(([, v]) => v.sensitive === true).map(([n]) => n));
  for (const [name, o] of Object.entries(mod.output)) {
    const where = `${rel(mod.dir)}/${o._file}: output "${name}"`;
    if (typeof o.description !== 'string' || o.description.trim() === '') problems.push(`${where} has no description`);
    const refs = [...JSON.stringify(o.value ?? null).matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((m) => m[1]);
    const secretRef = refs.find((r) => sensitiveVars.has(r));
    if ((isSecretValueName(name) || secretRef) && o.sensitive !== true) {
      problems.push(`${where} carries a secret${secretRef ? ` (var.${secretRef})` : ''} but is not sensitive = true`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// Public ingress
// ---------------------------------------------------------------------------------------------------------------------

const PUBLIC_CIDR = /(^|[^0-9.])0\.0\.0\.0\/0\b|(^|[^0-9a-fA-F:])::\/0\b/;
const PUBLIC_GUARD = /\bvar\.allow_public[A-Za-z0-9_]*/;

/**
 * 0.0.0.0/0 and ::/0 may appear only in egress rules, in prose (descriptions, validation rules rejecting them), or
 * where an explicit variable var.allow_public_* guards them: in the same expression, or in the count / for_each of
 * the resource that holds them.
 */
export function checkPublicIngress(mod) {
  const problems = [];
  for (const [s, at] of moduleStrings(mod)) {
    if (!PUBLIC_CIDR.test(s)) continue;
    if (at.includes('description') || at.includes('validation') || at.includes('error_message')) continue;
    if (at[0] === 'variable' && at[2] === 'description') continue;
    if ((at[0] === 'resource' || at[0] === 'data') && /egress/.test(String(at[1]))) continue;
    if (at.includes('egress')) continue;
    if (PUBLIC_GUARD.test(s)) continue;
    if (at[0] === 'resource') {
      const block = mod.resource[at[1]][at[2]];
      if (PUBLIC_GUARD.test(String(block.count ?? '')) || PUBLIC_GUARD.test(String(block.for_each ?? ''))) continue;
    }
    problems.push(`${rel(mod.dir)}: ${at.join('.')} opens ${s.match(PUBLIC_CIDR)[0].replace(/^[^0:]/, '')} without a var.allow_public_* guard`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------------------------------

/** No IAM statement grants on Resource "*" or with a wildcard action ("*", "s3:*"). */
export function checkIamWildcards(mod) {
  const problems = [];
  for (const [s, at] of moduleStrings(mod)) {
    const inPolicyDoc = at[0] === 'data' && at[1] === 'aws_iam_policy_document';
    const inIamResource = at[0] === 'resource' && String(at[1]).startsWith('aws_iam_');
    if (inPolicyDoc && (at.includes('resources') || at.includes('not_resources')) && s.trim() === '*') {
      problems.push(`${rel(mod.dir)}: ${at.join('.')} grants on Resource "*"`);
    }
    if (inPolicyDoc && at.includes('actions') && (s.trim() === '*' || /:\*$/.test(s.trim()))) {
      problems.push(`${rel(mod.dir)}: ${at.join('.')} grants the wildcard action ${s}`);
    }
    if (inIamResource && /"?Resource"?\s*[=:]\s*"\*"/.test(s)) {
      problems.push(`${rel(mod.dir)}: ${at.join('.')} has an inline policy on Resource "*"`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// Provider pinning
// ---------------------------------------------------------------------------------------------------------------------

export function checkVersions(mod) {
  const problems = [];
  const where = rel(mod.dir);
  const tf = mod.terraform;
  if (!tf.some((t) => typeof t.required_version === 'string' && t.required_version.trim() !== '')) {
    problems.push(`${where}: terraform { required_version } is not set`);
  }
  const providers = {};
  for (const t of tf) for (const rp of t.required_providers ?? []) Object.assign(providers, rp);
  for (const [name, p] of Object.entries(providers)) {
    if (typeof p !== 'object' || typeof p.version !== 'string' || p.version.trim() === '') {
      problems.push(`${where}: provider "${name}" has no version constraint`);
    }
    if (typeof p !== 'object' || typeof p.source !== 'string') problems.push(`${where}: provider "${name}" has no source`);
  }
  const used = new Set();
  for (const kind of ['resource', 'data']) {
    for (const type of Object.keys(mod[kind])) {
      const prefix = type.split('_')[0];
      if (prefix !== 'terraform') used.add(prefix);
    }
  }
  for (const p of Object.keys(mod.provider)) used.add(p);
  for (const p of used) {
    if (!providers[p]) problems.push(`${where}: provider "${p}" is used but not in required_providers`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// Files referenced by literal path
// ---------------------------------------------------------------------------------------------------------------------

const FILE_FUNCS = /\b(file|templatefile|filebase64|filesha256|filemd5|fileset)\(\s*"((?:[^"\\]|\\.)*)"/g;

/** The literal paths a module's expressions name, relative to path.module: [{ fn, raw, resolved, at }]. */
export function fileReferences(mod) {
  const refs = [];
  for (const [s, at] of moduleStrings(mod)) {
    for (const m of s.matchAll(FILE_FUNCS)) {
      refs.push({ fn: m[1], raw: m[2], at, resolved: resolveLiteral(mod.dir, m[2]) });
    }
    // A module argument that is a literal path (e.g. dashboards_dir = "${path.module}/../dashboards").
    if (at[0] === 'module' && at.length === 3 && /^\$\{path\.module\}\/[^$]*$/.test(s)) {
      refs.push({ fn: 'module argument', raw: s, at, resolved: resolveLiteral(mod.dir, s) });
    }
    if (at[0] === 'module' && at[2] === 'source' && /^\.\.?\//.test(s)) {
      refs.push({ fn: 'module source', raw: s, at, resolved: path.resolve(mod.dir, s) });
    }
  }
  return refs;
}

function resolveLiteral(dir, raw) {
  const p = raw.replaceAll('${path.module}', dir);
  return p.includes('${') ? null : path.resolve(dir, p);
}

export function checkFileReferences(mod) {
  const problems = [];
  for (const ref of fileReferences(mod)) {
    if (ref.resolved === null) continue; // not a literal path (e.g. "${var.dashboards_dir}/${each.value}")
    const wantDir = ref.fn === 'fileset' || ref.fn === 'module source' || ref.fn === 'module argument';
    const ok = fs.existsSync(ref.resolved) && (wantDir ? fs.statSync(ref.resolved).isDirectory() : fs.statSync(ref.resolved).isFile());
    const pending = PENDING_PATHS[path.relative(REPO_DIR, ref.resolved)];
    if (!ok && !pending) {
      problems.push(`${rel(mod.dir)}: ${ref.at.join('.')}: ${ref.fn}("${ref.raw}") names ${rel(ref.resolved)}, which does not exist`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// Templates: every ${name} a template uses is passed by the templatefile() call; shell templates pass bash -n
// ---------------------------------------------------------------------------------------------------------------------

const TEMPLATE_FUNCS = new Set(['base64encode', 'indent', 'jsonencode', 'yamlencode', 'join', 'upper', 'lower', 'trimspace', 'replace', 'length', 'for', 'in', 'if', 'endif', 'endfor', 'else', 'true', 'false', 'null']);

/** The variables a template's interpolations use (skips $${ escapes and function names). */
export function templateVariables(text) {
  const names = new Set();
  for (const m of text.matchAll(/(?<!\$)\$\{([^}]*)\}/g)) {
    for (const id of m[1].matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\b(\s*\()?/g)) {
      if (!id[2] && !TEMPLATE_FUNCS.has(id[1])) names.add(id[1]);
    }
  }
  return names;
}

/** The text of the argument list of the templatefile() call naming this template in s, or null. */
function templatefileArgs(s, templateBase) {
  const i = s.indexOf(`templatefile("\${path.module}/${templateBase}"`);
  if (i < 0) return null;
  let depth = 0;
  for (let j = s.indexOf('(', i); j < s.length; j++) {
    if (s[j] === '(' || s[j] === '{' || s[j] === '[') depth++;
    if (s[j] === ')' || s[j] === '}' || s[j] === ']') depth--;
    if (depth === 0) return s.slice(i, j + 1);
  }
  return s.slice(i);
}

export function checkTemplates(mod) {
  const problems = [];
  const tplDir = path.join(mod.dir, 'templates');
  if (!fs.existsSync(tplDir)) return problems;
  const strings = moduleStrings(mod).map(([s]) => s);
  for (const f of fs.readdirSync(tplDir).filter((x) => x.endsWith('.tftpl')).sort()) {
    const text = fs.readFileSync(path.join(tplDir, f), 'utf8');
    const call = strings.map((s) => templatefileArgs(s, `templates/${f}`)).find((a) => a !== null);
    if (!call) {
      problems.push(`${rel(mod.dir)}/templates/${f} is not used by any templatefile() call`);
      continue;
    }
    for (const v of templateVariables(text)) {
      if (!new RegExp(`[{,\\s]${v}\\s*=`).test(call)) problems.push(`${rel(mod.dir)}/templates/${f} uses \${${v}}, which templatefile() does not pass`);
    }
    if (f.endsWith('.sh.tftpl')) {
      // Render the interpolations as plain words, un-escape $${ and let bash check the syntax.
      const rendered = text.replace(/(?<!\$)\$\{[^}]*\}/g, 'X').replaceAll('$${', '${');
      const r = spawnSync('bash', ['-n'], { input: rendered, encoding: 'utf8' });
      if (r.status !== 0) problems.push(`${rel(mod.dir)}/templates/${f}: bash -n: ${r.stderr.trim()}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// README (terraform-docs layout)
// ---------------------------------------------------------------------------------------------------------------------

/** The text of a "## Heading" section up to the next "## ". */
export function section(markdown, heading) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim().toLowerCase() === `## ${heading.toLowerCase()}`);
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end < 0 ? lines.length : end).join('\n');
}

function tableNames(sectionText) {
  const names = new Set();
  for (const line of (sectionText ?? '').split('\n')) {
    if (!line.trim().startsWith('|')) continue;
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/name="(?:input|output)_([A-Za-z0-9_-]+)"|`([A-Za-z_][A-Za-z0-9_-]*)`|^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*$/g)) {
      const name = m[1] ?? m[2] ?? m[3];
      if (name !== 'Name') names.add(name);
    }
  }
  return names;
}

export function checkReadme(mod, markdown) {
  const problems = [];
  const where = `${rel(mod.dir)}/README.md`;
  for (const h of ['Requirements', 'Providers', 'Inputs', 'Outputs']) {
    if (section(markdown, h) === null) problems.push(`${where} has no "## ${h}" section`);
  }
  const inputs = tableNames(section(markdown, 'Inputs'));
  const outputs = tableNames(section(markdown, 'Outputs'));
  for (const v of Object.keys(mod.variable)) if (!inputs.has(v)) problems.push(`${where}: Inputs table does not list variable "${v}"`);
  for (const o of Object.keys(mod.output)) if (!outputs.has(o)) problems.push(`${where}: Outputs table does not list output "${o}"`);
  for (const v of inputs) if (!(v in mod.variable)) problems.push(`${where}: Inputs table lists "${v}", which is no variable`);
  for (const o of outputs) if (!(o in mod.output)) problems.push(`${where}: Outputs table lists "${o}", which is no output`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// Module calls
// ---------------------------------------------------------------------------------------------------------------------

/** Each local module call passes every variable without default of the called module, and nothing else. */
export async function checkModuleCalls(mod, load = loadModule) {
  const problems = [];
  for (const [name, call] of Object.entries(mod.module)) {
    const where = `${rel(mod.dir)}/${call._file}: module "${name}"`;
    const source = call.source;
    if (typeof source !== 'string' || !/^\.\.?\//.test(source)) continue; // registry modules: not checked here
    const dir = path.resolve(mod.dir, source);
    if (!fs.existsSync(dir)) {
      problems.push(`${where}: source ${source} does not exist`);
      continue;
    }
    const called = await load(dir);
    problems.push(...checkCallAgainst(where, call, called));
  }
  return problems;
}

export function checkCallAgainst(where, call, called) {
  const problems = [];
  const passed = Object.keys(call).filter((k) => !MODULE_META_ARGS.has(k) && k !== '_file');
  for (const [v, block] of Object.entries(called.variable)) {
    if (!('default' in block) && !passed.includes(v)) problems.push(`${where} does not pass required variable "${v}"`);
  }
  for (const p of passed) if (!(p in called.variable)) problems.push(`${where} passes "${p}", which the module does not declare`);
  return problems;
}

export function rel(p) {
  return path.relative(REPO_DIR, p) || '.';
}

// ---------------------------------------------------------------------------------------------------------------------
// Example variable files
// ---------------------------------------------------------------------------------------------------------------------

/**
 * A *.tfvars.example sets only variables the configuration declares, every required one except the sensitive ones
 * (those come from the environment, TF_VAR_...), and no secret value.
 */
export async function checkTfvars(mod, fileName, text) {
  const problems = [];
  const values = await parseHcl(fileName, text);
  const where = rel(fileName);
  for (const k of Object.keys(values)) {
    if (!(k in mod.variable)) problems.push(`${where} sets "${k}", which is no variable`);
    else if (mod.variable[k].sensitive === true || isSecretValueName(k)) problems.push(`${where} sets the secret "${k}"`);
  }
  for (const [k, v] of Object.entries(mod.variable)) {
    if (!('default' in v) && v.sensitive !== true && !(k in values)) problems.push(`${where} does not set required "${k}"`);
  }
  return problems;
}
