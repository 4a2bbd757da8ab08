// Writes the terraform-docs style tables (Requirements, Providers, Modules, Resources, Inputs, Outputs) of a module's
// README between <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS -->, from the parsed .tf files (terraform-docs itself
// cannot be installed here). Usage: node infra-terraform/tools/tfdocs.mjs [--check] <module dir>...
import fs from 'node:fs';
import path from 'node:path';
import { loadModule, rel } from './tfcheck.mjs';

const BEGIN = '<!-- BEGIN_TF_DOCS -->';
const END = '<!-- END_TF_DOCS -->';

const unwrap = (s) => (typeof s === 'string' && s.startsWith('${') && s.endsWith('}') ? s.slice(2, -1) : s);
const cell = (s) => String(s).replace(/\s*\n\s*/g, ' ').replaceAll('|', '\\|');
const code = (s) => '`' + cell(String(s).replace(/\s+/g, ' ')) + '`';

export async function render(dir) {
  const mod = await loadModule(dir);
  const out = [];
  const providers = {};
  let requiredVersion = null;
  for (const t of mod.terraform) {
    requiredVersion ??= t.required_version ?? null;
    for (const rp of t.required_providers ?? []) Object.assign(providers, rp);
  }

  out.push('## Requirements', '', '| Name | Version |', '|------|---------|');
  if (requiredVersion) out.push(`| terraform | ${code(requiredVersion)} |`);
  for (const [n, p] of Object.entries(providers).sort()) out.push(`| ${n} | ${code(p.version)} |`);

  out.push('', '## Providers', '', '| Name | Source |', '|------|--------|');
  for (const [n, p] of Object.entries(providers).sort()) out.push(`| ${n} | ${code(p.source)} |`);

  const modules = Object.entries(mod.module).sort();
  if (modules.length) {
    out.push('', '## Modules', '', '| Name | Source |', '|------|--------|');
    for (const [n, m] of modules) out.push(`| ${n} | ${code(m.source)} |`);
  }

  const resources = [];
  for (const [kind, label] of [['resource', 'resource'], ['data', 'data source']]) {
    for (const [type, byName] of Object.entries(mod[kind])) {
      for (const n of Object.keys(byName)) resources.push(`| ${kind === 'data' ? 'data.' : ''}${type}.${n} | ${label} |`);
    }
  }
  if (resources.length) out.push('', '## Resources', '', '| Name | Type |', '|------|------|', ...resources.sort());

  out.push('', '## Inputs', '', '| Name | Description | Type | Default | Required |', '|------|-------------|------|---------|:--------:|');
  const vars = Object.entries(mod.variable).sort(([a, av], [b, bv]) => ('default' in av) - ('default' in bv) || a.localeCompare(b));
  for (const [n, v] of vars) {
    const hasDefault = 'default' in v;
    const def = hasDefault ? code(JSON.stringify(v.default)) : 'n/a';
    out.push(`| ${n} | ${cell(v.description ?? '')}${v.sensitive ? ' (sensitive)' : ''} | ${code(unwrap(v.type))} | ${def} | ${hasDefault ? 'no' : 'yes'} |`);
  }

  out.push('', '## Outputs', '', '| Name | Description |', '|------|-------------|');
  for (const [n, o] of Object.entries(mod.output).sort()) out.push(`| ${n} | ${cell(o.description ?? '')}${o.sensitive ? ' (sensitive)' : ''} |`);
  return out.join('\n');
}

async function main(args) {
  const check = args.includes('--check');
  let stale = 0;
  for (const dir of args.filter((a) => a !== '--check').map((a) => path.resolve(a))) {
    const readme = path.join(dir, 'README.md');
    const text = fs.readFileSync(readme, 'utf8');
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    if (a < 0 || b < a) throw new Error(`${rel(readme)}: no ${BEGIN} ... ${END} markers`);
    const next = text.slice(0, a + BEGIN.length) + '\n' + (await render(dir)) + '\n' + text.slice(b);
    if (next === text) continue;
    if (check) {
      console.error(`${rel(readme)} is out of date: node infra-terraform/tools/tfdocs.mjs ${rel(dir)}`);
      stale++;
    } else {
      fs.writeFileSync(readme, next);
      console.log(`wrote ${rel(readme)}`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await main(process.argv.slice(2));
}
