#!/usr/bin/env node
// Compiles Courier's Solidity with the solc pinned in the repository's package.json (solc-js, standard
// JSON API) and writes <Name>.abi / <Name>.bin for the Java wrapper generator:
//   src/main/solidity/*.sol -> target/solc/        (deployable contracts, wrappers in the main jar)
//   src/test/solidity/*.sol -> target/solc-test/   (test-only contracts, wrappers in the test sources)
//
// Usage: node compile.js [--force]
// The solc CLI of solc-js has no --evm-version, hence the standard JSON API. The EVM version is
// "shanghai": Ganache 7.9 (the local chain of the tests and the demo) rejects newer opcodes (MCOPY, TSTORE).
// Any compiler error fails the build (exit code 1); so does a contract over the EIP-170 size limit.
'use strict';

const fs = require('fs');
const path = require('path');
const { execSync } = require('child_process');

const HERE = __dirname;
const ROOT = path.resolve(HERE, '..');
const SRC = path.join(HERE, 'src');
const TREES = [
  { dir: path.join(SRC, 'main', 'solidity'), out: path.join(HERE, 'target', 'solc') },
  { dir: path.join(SRC, 'test', 'solidity'), out: path.join(HERE, 'target', 'solc-test') },
];
const EXPECTED_SOLC = require(path.join(ROOT, 'package.json')).dependencies.solc;
const EIP170_MAX_CODE = 24576;

function fail(message) {
  console.error(`compile.js: ERROR: ${message}`);
  process.exit(1);
}

function loadSolc() {
  const solcDir = path.join(ROOT, 'node_modules', 'solc');
  if (!fs.existsSync(path.join(solcDir, 'package.json'))) {
    console.log(`compile.js: ${solcDir} is missing; running \`npm ci\` in ${ROOT}`);
    try {
      execSync('npm ci --no-audit --no-fund', { cwd: ROOT, stdio: 'inherit' });
    } catch (e) {
      fail(`npm ci in ${ROOT} failed (${e.message})`);
    }
  }
  const solc = require(solcDir);
  const version = solc.version();
  if (!version.startsWith(EXPECTED_SOLC + '+')) {
    fail(`solc ${version} found, package.json pins ${EXPECTED_SOLC}; run \`npm ci\` in ${ROOT}`);
  }
  return solc;
}

// Source unit names are paths relative to src/ ("main/solidity/Gateway.sol"), so the relative import
// "../../main/solidity/IMessageRecipient.sol" of a test contract resolves to the main source unit.
function collectSources() {
  const sources = {};
  for (const tree of TREES) {
    if (!fs.existsSync(tree.dir)) continue;
    for (const file of fs.readdirSync(tree.dir).filter((f) => f.endsWith('.sol')).sort()) {
      const unit = path.relative(SRC, path.join(tree.dir, file)).split(path.sep).join('/');
      sources[unit] = { content: fs.readFileSync(path.join(tree.dir, file), 'utf8') };
    }
  }
  if (Object.keys(sources).length === 0) fail(`no .sol files under ${SRC}`);
  return sources;
}

// Imports outside the collected set (none today) are read from src/, never from elsewhere.
function findImports(unit) {
  const file = path.resolve(SRC, unit);
  if (!file.startsWith(SRC + path.sep) || !fs.existsSync(file)) {
    return { error: `import ${unit} not found under ${SRC}` };
  }
  return { contents: fs.readFileSync(file, 'utf8') };
}

function newestMtime(files) {
  return files.reduce((max, f) => Math.max(max, fs.statSync(f).mtimeMs), 0);
}

function upToDate() {
  const inputs = [__filename, path.join(ROOT, 'package.json')];
  for (const tree of TREES) {
    if (fs.existsSync(tree.dir)) {
      inputs.push(...fs.readdirSync(tree.dir).filter((f) => f.endsWith('.sol')).map((f) => path.join(tree.dir, f)));
    }
  }
  const stamp = path.join(HERE, 'target', 'solc', '.stamp');
  if (!fs.existsSync(stamp) || fs.statSync(stamp).mtimeMs < newestMtime(inputs)) return false;
  // The stamp lists what the last run wrote; a deleted output means a rebuild.
  const outputs = JSON.parse(fs.readFileSync(stamp, 'utf8')).outputs || [];
  return outputs.length > 0 && outputs.every((f) => fs.existsSync(path.join(HERE, f)));
}

function main() {
  const force = process.argv.includes('--force');
  if (!force && upToDate()) {
    console.log('compile.js: Solidity outputs are up to date (use --force to rebuild)');
    return;
  }
  const solc = loadSolc();
  const input = {
    language: 'Solidity',
    sources: collectSources(),
    settings: {
      evmVersion: 'shanghai',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const diagnostics = output.errors || [];
  for (const d of diagnostics.filter((d) => d.severity !== 'error')) console.warn(d.formattedMessage);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const e of errors) console.error(e.formattedMessage);
    fail(`${errors.length} compiler error(s) with solc ${solc.version()}`);
  }

  for (const tree of TREES) fs.mkdirSync(tree.out, { recursive: true });
  const outputs = [];
  for (const [unit, contracts] of Object.entries(output.contracts || {})) {
    const tree = unit.startsWith('test/') ? TREES[1] : TREES[0];
    for (const [name, artifact] of Object.entries(contracts)) {
      const bin = artifact.evm.bytecode.object;
      const runtimeBytes = artifact.evm.deployedBytecode.object.length / 2;
      if (runtimeBytes > EIP170_MAX_CODE) {
        fail(`${unit}:${name} runtime code is ${runtimeBytes} bytes, over the EIP-170 limit of ${EIP170_MAX_CODE}`);
      }
      const write = (file, text) => {
        fs.writeFileSync(path.join(tree.out, file), text);
        outputs.push(path.relative(HERE, path.join(tree.out, file)));
      };
      write(`${name}.abi`, JSON.stringify(artifact.abi));
      // Interfaces and abstract contracts have no bytecode: ABI only.
      if (bin.length > 0) {
        write(`${name}.bin`, bin);
        console.log(`compile.js: ${unit}:${name} (${runtimeBytes} bytes runtime) -> ${path.relative(HERE, tree.out)}`);
      }
    }
  }
  fs.writeFileSync(path.join(TREES[0].out, '.stamp'), JSON.stringify({ solc: solc.version(), outputs }, null, 1) + '\n');
  const contracts = outputs.filter((f) => f.endsWith('.abi')).length;
  console.log(`compile.js: ${contracts} contract(s) compiled with solc ${solc.version()} (evm shanghai, optimizer 200 runs)`);
}

main();
