// Offline checks of infra-terraform (Terraform cannot be installed here): run with `npm run test:terraform` or
// `node --test infra-terraform/test/`. Each check runs over the real modules and, to show it can fail, over a small
// broken input (inline HCL or a mutated copy of a real module).
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  INFRA_DIR, terraformDirs, loadModule, moduleFromSources, parseHcl, checkLayout, checkVariables, checkOutputs,
  checkPublicIngress, checkIamWildcards, checkVersions, checkFileReferences, checkTemplates, checkReadme,
  checkModuleCalls, checkCallAgainst, checkTfvars, isSecretValueName, fileReferences, rel,
} from '../tools/tfcheck.mjs';

const ALL_DIRS = terraformDirs();
const MODULE_DIRS = ALL_DIRS.filter((d) => path.relative(INFRA_DIR, d).startsWith('modules' + path.sep));
const EXAMPLE_DIRS = ALL_DIRS.filter((d) => path.relative(INFRA_DIR, d).startsWith('examples' + path.sep));
const modules = new Map();

const tmpDirs = [];
function tmpDir(files = {}) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcheck-'));
  tmpDirs.push(d);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    fs.writeFileSync(path.join(d, name), text);
  }
  return d;
}
process.on('exit', () => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const hcl = (text, dir) => moduleFromSources({ 'main.tf': text }, dir);
const clone = (mod) => ({ ...structuredClone({ ...mod, dir: undefined }), dir: mod.dir });
const expectProblem = (problems, re) => assert.ok(problems.some((p) => re.test(p)), `expected a problem matching ${re}, got:\n${problems.join('\n') || '(none)'}`);
const expectNone = (problems) => assert.deepEqual(problems, []);

describe('layout and parsing', () => {
  test('there are the three modules and the testnet example', () => {
    assert.deepEqual(MODULE_DIRS.map((d) => path.basename(d)), ['cassandra', 'observability', 'relayer-node']);
    assert.deepEqual(EXAMPLE_DIRS.map((d) => path.basename(d)), ['testnet']);
  });

  test('every .tf file parses', async () => {
    for (const d of ALL_DIRS) {
      for (const f of fs.readdirSync(d).filter((x) => x.endsWith('.tf'))) {
        await assert.doesNotReject(parseHcl(path.join(d, f), fs.readFileSync(path.join(d, f), 'utf8')), `${rel(d)}/${f}`);
      }
      modules.set(d, await loadModule(d));
    }
  });

  test('a syntax error is reported with file and line', async () => {
    await assert.rejects(parseHcl('broken.tf', 'variable "a" {\n  type = \n}\n'), /broken\.tf:2,/);
    await assert.rejects(parseHcl('unclosed.tf', 'resource "aws_instance" "x" {\n  ami = "a"\n'), /unclosed\.tf:/);
  });

  test('each module and example has main, variables, outputs, versions .tf and a README', () => {
    for (const d of ALL_DIRS) expectNone(checkLayout(d));
  });

  test('a module without outputs.tf and README.md fails the layout check', () => {
    const d = tmpDir({ 'main.tf': '', 'variables.tf': '', 'versions.tf': '' });
    const problems = checkLayout(d);
    expectProblem(problems, /no outputs\.tf/);
    expectProblem(problems, /no README\.md/);
  });
});

describe('checks over the real configuration', () => {
  before(async () => {
    for (const d of ALL_DIRS) if (!modules.has(d)) modules.set(d, await loadModule(d));
  });
  const each = (fn) => async () => {
    for (const d of ALL_DIRS) expectNone(await fn(modules.get(d), d));
  };

  test('every variable is typed and described; CIDRs, sizes, versions and ports are validated; secrets have no default and are sensitive', each((m) => checkVariables(m)));
  test('outputs are described and those carrying secrets are sensitive', each((m) => checkOutputs(m)));
  test('no 0.0.0.0/0 or ::/0 ingress unless a var.allow_public_* guards it', each((m) => checkPublicIngress(m)));
  test('no IAM grant on Resource "*" or with a wildcard action', each((m) => checkIamWildcards(m)));
  test('required_version is set and every provider is pinned with source and version', each((m) => checkVersions(m)));
  test('every file, folder and module source referenced by literal path exists', each((m) => checkFileReferences(m)));
  test('every template variable is passed by its templatefile() call; shell templates pass bash -n', each((m) => checkTemplates(m)));
  test('READMEs have Requirements, Providers, Inputs and Outputs and list every variable and output', each((m, d) => checkReadme(m, fs.readFileSync(path.join(d, 'README.md'), 'utf8'))));
  test('module calls pass every required variable of the called module and no unknown one', each((m) => checkModuleCalls(m)));

  test('terraform.tfvars.example sets known variables, every required non-secret one, and no secret', async () => {
    for (const d of EXAMPLE_DIRS) {
      const f = path.join(d, 'terraform.tfvars.example');
      assert.ok(fs.existsSync(f), `${rel(f)} exists`);
      expectNone(await checkTfvars(modules.get(d), f, fs.readFileSync(f, 'utf8')));
    }
  });

  test('the modules reference their templates, and the Grafana module reads dashboards through fileset(var.dashboards_dir)', () => {
    const refs = (name) => fileReferences(modules.get(path.join(INFRA_DIR, 'modules', name))).map((r) => r.raw);
    assert.ok(refs('relayer-node').includes('${path.module}/templates/cloud-init.yaml.tftpl'));
    assert.ok(refs('cassandra').includes('${path.module}/templates/cloud-init.yaml.tftpl'));
    const obs = modules.get(path.join(INFRA_DIR, 'modules', 'observability'));
    assert.match(JSON.stringify(obs.locals), /fileset\(var\.dashboards_dir, \\"\*\.json\\"\)/);
    assert.match(obs.resource.grafana_dashboard.courier.config_json, /^\$\{file\(/);
  });

  test('the relayer launch template requires IMDSv2 and encrypts its volume; Cassandra nodes too', () => {
    const lt = modules.get(path.join(INFRA_DIR, 'modules', 'relayer-node')).resource.aws_launch_template.node;
    assert.equal(lt.metadata_options[0].http_tokens, 'required');
    assert.equal(lt.block_device_mappings[0].ebs[0].encrypted, true);
    const node = modules.get(path.join(INFRA_DIR, 'modules', 'cassandra')).resource.aws_instance.node;
    assert.equal(node.metadata_options[0].http_tokens, 'required');
    assert.equal(node.root_block_device[0].encrypted, true);
  });

  test('a chain may set its quorum: passed into node.conf, validated against its number of rpc_urls', () => {
    const node = modules.get(path.join(INFRA_DIR, 'modules', 'relayer-node'));
    assert.match(JSON.stringify(node.locals), /c\.quorum != null \? \{ quorum = c\.quorum \}/);
    const chains = node.variable.chains;
    assert.match(chains.type, /quorum\s*=\s*optional\(number\)/);
    assert.ok(chains.validation.some((v) => /c\.quorum/.test(v.condition) && /length\(c\.rpc_urls\)/.test(v.condition)),
      'a validation bounds quorum by the chain\'s rpc_urls');
  });

  test('a chain may set its signer balance floor: a decimal string of wei passed into node.conf', () => {
    const node = modules.get(path.join(INFRA_DIR, 'modules', 'relayer-node'));
    assert.match(JSON.stringify(node.locals), /c\.signer_balance_floor_wei != null \? \{ \\"signer-balance-floor-wei\\" = c\.signer_balance_floor_wei \}/);
    const chains = node.variable.chains;
    assert.match(chains.type, /signer_balance_floor_wei\s*=\s*optional\(string\)/);
    assert.ok(chains.validation.some((v) => /signer_balance_floor_wei/.test(v.condition) && /\^\[0-9\]\+\$/.test(v.condition)),
      'a validation wants a whole number of wei');
  });

  test('who pays is a choice written into node.conf: required or sponsored, and the testnet example sponsors', () => {
    const node = modules.get(path.join(INFRA_DIR, 'modules', 'relayer-node'));
    assert.match(JSON.stringify(node.locals), /payment = \{(\\n|\s)*policy = var\.payment_policy/);
    assert.equal(node.variable.payment_policy.default, 'required');
    assert.ok(node.variable.payment_policy.validation.some((v) => /"required", "sponsored"/.test(v.condition)));
    const testnet = modules.get(path.join(INFRA_DIR, 'examples', 'testnet'));
    assert.equal(testnet.variable.payment_policy.default, 'sponsored');
    assert.match(JSON.stringify(testnet.module), /payment_policy/);
  });

  test('no key material is written by Terraform: no secret versions, secret ARNs only', () => {
    for (const d of ALL_DIRS) {
      const m = modules.get(d);
      assert.equal(m.resource.aws_secretsmanager_secret_version, undefined, `${rel(d)} manages a secret's value`);
      assert.equal(m.data.aws_secretsmanager_secret_version, undefined, `${rel(d)} reads a secret's value into state`);
    }
  });
});

describe('each check fails on a broken input', () => {
  test('variables: untyped, undescribed, unvalidated CIDR/size/version/port, secret with default', async () => {
    const m = await hcl(`
      variable "untyped" { description = "x" }
      variable "undescribed" { type = string }
      variable "api_ingress_cidrs" {
        type        = list(string)
        description = "x"
        validation {
          condition     = length(var.api_ingress_cidrs) < 10
          error_message = "x"
        }
      }
      variable "node_count" {
        type        = number
        description = "x"
      }
      variable "courier_version" {
        type        = string
        description = "x"
        validation {
          condition     = length(var.courier_version) > 0
          error_message = "x"
        }
      }
      variable "api_port" {
        type        = number
        description = "x"
      }
      variable "admin_password" {
        type        = string
        description = "x"
        default     = "hunter2"
      }
      variable "grafana_token" {
        type        = string
        description = "x"
      }
    `);
    const problems = checkVariables(m);
    expectProblem(problems, /"untyped" has no type/);
    expectProblem(problems, /"undescribed" has no description/);
    expectProblem(problems, /"api_ingress_cidrs" holds CIDR blocks but no validation/);
    expectProblem(problems, /"node_count" is a size/);
    expectProblem(problems, /"courier_version" is a version/);
    expectProblem(problems, /"api_port" is a port/);
    expectProblem(problems, /"admin_password" holds a secret but has a default/);
    expectProblem(problems, /"admin_password" holds a secret but is not sensitive/);
    expectProblem(problems, /"grafana_token" holds a secret but is not sensitive/);
    assert.equal(problems.length, 9, problems.join('\n'));
  });

  test('variables: names that refer to a secret (ARN, key pair name, KMS key) are not secrets themselves', () => {
    for (const n of ['validator_keys_secret_arn', 'key_name', 'ebs_kms_key_arn', 'secrets_kms_key_arns', 'admin_token_secret_arn']) {
      assert.equal(isSecretValueName(n), false, n);
    }
    for (const n of ['grafana_token', 'submitter_key', 'validator_keys', 'db_password', 'api_secret', 'private_key']) {
      assert.equal(isSecretValueName(n), true, n);
    }
  });

  test('variables: dropping the CIDR validation of the real relayer module is caught', () => {
    const m = clone(modules.get(path.join(INFRA_DIR, 'modules', 'relayer-node')));
    delete m.variable.api_ingress_cidrs.validation;
    delete m.variable.node_count.validation;
    const problems = checkVariables(m);
    expectProblem(problems, /"api_ingress_cidrs" holds CIDR blocks/);
    expectProblem(problems, /"node_count" is a size/);
  });

  test('outputs: an output of a sensitive variable, or named like a secret, must be sensitive', async () => {
    const m = await hcl(`
      variable "grafana_token" {
        type        = string
        description = "x"
        sensitive   = true
      }
      output "auth_header" {
        description = "x"
        value       = "Bearer \${var.grafana_token}"
      }
      output "admin_token" {
        description = "x"
        value       = "x"
      }
      output "fine" {
        description = "x"
        value       = var.grafana_token
        sensitive   = true
      }
    `);
    const problems = checkOutputs(m);
    expectProblem(problems, /"auth_header" carries a secret \(var\.grafana_token\)/);
    expectProblem(problems, /"admin_token" carries a secret/);
    assert.equal(problems.length, 2, problems.join('\n'));
  });

  test('public ingress: unguarded 0.0.0.0/0 and ::/0 are caught; egress and var.allow_public_* guards pass', async () => {
    const m = await hcl(`
      resource "aws_vpc_security_group_ingress_rule" "open" {
        security_group_id = "sg-1"
        cidr_ipv4         = "0.0.0.0/0"
      }
      resource "aws_vpc_security_group_ingress_rule" "open6" {
        security_group_id = "sg-1"
        cidr_ipv6         = "::/0"
      }
      resource "aws_security_group" "inline" {
        ingress {
          from_port   = 8080
          to_port     = 8080
          protocol    = "tcp"
          cidr_blocks = ["0.0.0.0/0"]
        }
        egress {
          from_port   = 0
          to_port     = 0
          protocol    = "-1"
          cidr_blocks = ["0.0.0.0/0"]
        }
      }
      resource "aws_vpc_security_group_ingress_rule" "wrong_guard" {
        count     = var.enable_thing ? 1 : 0
        cidr_ipv4 = "0.0.0.0/0"
      }
      resource "aws_vpc_security_group_ingress_rule" "guarded" {
        count     = var.allow_public_api ? 1 : 0
        cidr_ipv4 = "0.0.0.0/0"
      }
      resource "aws_vpc_security_group_egress_rule" "all" {
        cidr_ipv4 = "0.0.0.0/0"
      }
      locals {
        api_cidrs = concat(var.cidrs, var.allow_public_api ? ["0.0.0.0/0"] : [])
        sneaky    = ["10.0.0.0/8", "0.0.0.0/0"]
      }
    `);
    const problems = checkPublicIngress(m);
    expectProblem(problems, /aws_vpc_security_group_ingress_rule\.open\.cidr_ipv4/);
    expectProblem(problems, /aws_vpc_security_group_ingress_rule\.open6\.cidr_ipv6/);
    expectProblem(problems, /aws_security_group\.inline\.ingress/);
    expectProblem(problems, /wrong_guard/);
    expectProblem(problems, /locals\.0\.sneaky/);
    assert.equal(problems.length, 5, problems.join('\n'));
  });

  test('public ingress: removing the allow_public_api guard of the real relayer module is caught', () => {
    const m = clone(modules.get(path.join(INFRA_DIR, 'modules', 'relayer-node')));
    m.resource.aws_vpc_security_group_ingress_rule.api_public.count = 1;
    expectProblem(checkPublicIngress(m), /api_public\.cidr_ipv4 opens 0\.0\.0\.0\/0/);
  });

  test('IAM: Resource "*" and wildcard actions are caught', async () => {
    const m = await hcl(`
      data "aws_iam_policy_document" "p" {
        statement {
          actions   = ["secretsmanager:GetSecretValue"]
          resources = ["*"]
        }
        statement {
          actions   = ["s3:*"]
          resources = ["arn:aws:s3:::bucket/key"]
        }
      }
      resource "aws_iam_role_policy" "inline" {
        policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "ec2:DescribeInstances", Resource = "*" }] })
      }
    `);
    const problems = checkIamWildcards(m);
    expectProblem(problems, /statement\.0\.resources.*Resource "\*"/);
    expectProblem(problems, /wildcard action s3:\*/);
    expectProblem(problems, /aws_iam_role_policy\.inline.*inline policy on Resource "\*"/);
    assert.equal(problems.length, 3, problems.join('\n'));
  });

  test('versions: missing required_version, an unpinned provider and an undeclared one are caught', async () => {
    const m = await hcl(`
      terraform {
        required_providers {
          aws = {
            source = "hashicorp/aws"
          }
        }
      }
      resource "aws_instance" "x" {}
      resource "grafana_folder" "f" {}
      resource "terraform_data" "t" {}
    `);
    const problems = checkVersions(m);
    expectProblem(problems, /required_version \} is not set/);
    expectProblem(problems, /provider "aws" has no version constraint/);
    expectProblem(problems, /provider "grafana" is used but not in required_providers/);
    assert.equal(problems.length, 3, problems.join('\n'));
  });

  test('file references: a missing template, file and fileset folder are caught; dynamic paths are skipped', async () => {
    const d = tmpDir({ 'templates/present.tftpl': 'x' });
    const m = await hcl(`
      locals {
        a = templatefile("\${path.module}/templates/present.tftpl", {})
        b = templatefile("\${path.module}/templates/missing.tftpl", {})
        c = file("\${path.module}/policy.json")
        d = fileset("\${path.module}/dashboards", "*.json")
        e = file("\${var.dir}/\${each.value}")
      }
      module "m" {
        source = "../does-not-exist"
      }
    `, d);
    const problems = checkFileReferences(m);
    expectProblem(problems, /templatefile\("\$\{path\.module\}\/templates\/missing\.tftpl"\)/);
    expectProblem(problems, /file\("\$\{path\.module\}\/policy\.json"\)/);
    expectProblem(problems, /fileset\("\$\{path\.module\}\/dashboards"\)/);
    expectProblem(problems, /module source\("\.\.\/does-not-exist"\)/);
    assert.equal(problems.length, 4, problems.join('\n'));
  });

  test('file references: renaming a template of the real relayer module is caught', () => {
    const m = clone(modules.get(path.join(INFRA_DIR, 'modules', 'relayer-node')));
    m.locals = JSON.parse(JSON.stringify(m.locals).replace('templates/cloud-init.yaml.tftpl', 'templates/cloud-init.yml.tftpl'));
    expectProblem(checkFileReferences(m), /cloud-init\.yml\.tftpl.*does not exist/);
  });

  test('templates: a variable the call does not pass, a shell syntax error and an unused template are caught', async () => {
    const d = tmpDir({
      'templates/boot.sh.tftpl': '#!/bin/bash\nname=\'${name}\'\nport=${port}\nif [ -n "$name" ]; then\n  echo "$${name:-x}"\n',
      'templates/unused.yaml.tftpl': 'x: 1\n',
    });
    const m = await hcl(`
      locals {
        boot = templatefile("\${path.module}/templates/boot.sh.tftpl", { name = var.name })
      }
    `, d);
    const problems = checkTemplates(m);
    expectProblem(problems, /boot\.sh\.tftpl uses \$\{port\}, which templatefile\(\) does not pass/);
    expectProblem(problems, /boot\.sh\.tftpl: bash -n/);
    expectProblem(problems, /unused\.yaml\.tftpl is not used/);
    assert.equal(problems.length, 3, problems.join('\n'));
  });

  test('README: a missing section, an unlisted variable and output, and a stale row are caught', async () => {
    const m = await hcl(`
      variable "listed" {
        type        = string
        description = "x"
      }
      variable "forgotten" {
        type        = string
        description = "x"
      }
      output "also_forgotten" {
        description = "x"
        value       = 1
      }
    `);
    const readme = '# m\n\n## Requirements\n\n## Inputs\n\n| Name | Description |\n|------|------|\n| listed | x |\n| removed_long_ago | x |\n\n## Outputs\n\n| Name | Description |\n|------|------|\n';
    const problems = checkReadme(m, readme);
    expectProblem(problems, /no "## Providers" section/);
    expectProblem(problems, /Inputs table does not list variable "forgotten"/);
    expectProblem(problems, /Outputs table does not list output "also_forgotten"/);
    expectProblem(problems, /lists "removed_long_ago", which is no variable/);
    assert.equal(problems.length, 4, problems.join('\n'));
  });

  test('README: deleting a row of the real relayer README is caught', () => {
    const d = path.join(INFRA_DIR, 'modules', 'relayer-node');
    const readme = fs.readFileSync(path.join(d, 'README.md'), 'utf8').split('\n').filter((l) => !l.startsWith('| release_sha256 ')).join('\n');
    expectProblem(checkReadme(modules.get(d), readme), /does not list variable "release_sha256"/);
  });

  test('module calls: a missing required variable and an unknown one are caught', async () => {
    const called = await hcl(`
      variable "required_one" {
        type        = string
        description = "x"
      }
      variable "optional_one" {
        type        = string
        description = "x"
        default     = "d"
      }
    `);
    const root = await hcl(`
      module "m" {
        source   = "./m"
        for_each = toset(["a"])
        optional_one = "x"
        typo_one     = "x"
      }
    `);
    const problems = checkCallAgainst('module "m"', root.module.m, called);
    expectProblem(problems, /does not pass required variable "required_one"/);
    expectProblem(problems, /passes "typo_one", which the module does not declare/);
    assert.equal(problems.length, 2, problems.join('\n'));
  });

  test('module calls: dropping release_sha256 from the real example is caught', async () => {
    const m = clone(modules.get(path.join(INFRA_DIR, 'examples', 'testnet')));
    delete m.module.relayer.release_sha256;
    m.module.cassandra.cassandra_sha256 = 'x';
    const problems = await checkModuleCalls(m);
    expectProblem(problems, /module "relayer" does not pass required variable "release_sha256"/);
    expectProblem(problems, /module "cassandra" passes "cassandra_sha256"/);
  });

  test('tfvars: a secret, an unknown variable and a missing required one are caught', async () => {
    const m = await hcl(`
      variable "region" {
        type        = string
        description = "x"
      }
      variable "grafana_token" {
        type        = string
        description = "x"
        sensitive   = true
      }
      variable "needed" {
        type        = string
        description = "x"
      }
    `);
    const problems = await checkTfvars(m, '/tmp/x.tfvars', 'region = "eu-central-1"\ngrafana_token = "glsa_123"\nregoin = "typo"\n');
    expectProblem(problems, /sets the secret "grafana_token"/);
    expectProblem(problems, /sets "regoin", which is no variable/);
    expectProblem(problems, /does not set required "needed"/);
    assert.equal(problems.length, 3, problems.join('\n'));
  });
});
