// Builds every Courier dashboard and writes it to dashboards/grafana/<uid>.json (what Grafana and Terraform load).
//
//   npm run build:dashboards                        write the JSON files
//   npx tsx dashboards/grafana/src/build.ts --check  write nothing; exit 1 naming each file that is stale, missing,
//                                                  or in the folder without a dashboard that builds it
//   ... --dir <folder>                             compare with / write to another folder (the tests use a copy)
import fs from 'node:fs';
import path from 'node:path';
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { chainDashboard } from './chain';
import { oracleDashboard } from './oracle';
import { overview } from './overview';
import { routeDashboard } from './route';
import { submitterDashboard } from './submitter';

const DASHBOARDS: DashboardBuilder[] = [overview, chainDashboard, routeDashboard, submitterDashboard, oracleDashboard];

/** File name (<uid>.json) -> file text, for every dashboard. */
function render(): Map<string, string> {
  const files = new Map<string, string>();
  for (const builder of DASHBOARDS) {
    const dashboard = builder.build();
    const name = `${dashboard.uid}.json`;
    if (!dashboard.uid || files.has(name)) throw new Error(`dashboard "${dashboard.title}": missing or duplicate uid "${dashboard.uid}"`);
    files.set(name, JSON.stringify(dashboard, null, 2) + '\n');
  }
  return files;
}

/** The first line where two texts differ, for the error message. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: expected ${JSON.stringify(a[at] ?? '<end of file>')}, found ${JSON.stringify(b[at] ?? '<end of file>')}`;
}

function main(args: string[]): number {
  const check = args.includes('--check');
  const dirArg = args.indexOf('--dir');
  const dir = dirArg >= 0 ? path.resolve(args[dirArg + 1]) : path.resolve(__dirname, '..');
  const files = render();
  const show = (name: string) => path.relative(process.cwd(), path.join(dir, name)) || name;

  if (!check) {
    for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
    console.log(`wrote ${[...files.keys()].map(show).join(', ')}`);
    return 0;
  }
  const problems: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) problems.push(`${show(name)}: missing`);
    else {
      const committed = fs.readFileSync(file, 'utf8');
      if (committed !== text) problems.push(`${show(name)}: stale (${firstDifference(text, committed)})`);
    }
  }
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !files.has(f))) {
    problems.push(`${show(name)}: no dashboard builds it (delete it, or add its builder to src/build.ts)`);
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error('regenerate with: npm run build:dashboards');
    return 1;
  }
  console.log(`${files.size} dashboards up to date: ${[...files.keys()].join(', ')}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
