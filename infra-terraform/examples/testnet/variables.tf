variable "aws_region" {
  type        = string
  description = "AWS region of everything."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-central-1."
  }
}

variable "name" {
  type        = string
  description = "Prefix of every resource."
  default     = "courier-testnet"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}[a-z0-9]$", var.name))
    error_message = "name must be 3-22 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "vpc_id" {
  type        = string
  description = "Existing VPC."
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Three private subnets in three availability zones, with a route to the internet (NAT) for RPC endpoints and downloads."

  validation {
    condition     = length(var.private_subnet_ids) >= 1
    error_message = "private_subnet_ids needs at least one subnet (three for three zones)."
  }
}

variable "operator_cidrs" {
  type        = list(string)
  description = "Where operators come from (VPN, bastion): reach the nodes' API and Cassandra's CQL port."
  default     = []

  validation {
    condition     = alltrue([for c in var.operator_cidrs : can(cidrhost(c, 0))])
    error_message = "operator_cidrs must be CIDR blocks."
  }
}

variable "prometheus_cidrs" {
  type        = list(string)
  description = "Where the Prometheus servers that scrape the nodes run."
  default     = []

  validation {
    condition     = alltrue([for c in var.prometheus_cidrs : can(cidrhost(c, 0))])
    error_message = "prometheus_cidrs must be CIDR blocks."
  }
}

# --- release ---------------------------------------------------------------------------------------------------------

variable "courier_version" {
  type        = string
  description = "Courier release every node runs."

  validation {
    condition     = can(regex("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$", var.courier_version))
    error_message = "courier_version must be a semantic version such as 1.2.3."
  }
}

variable "release_url" {
  type        = string
  description = "HTTPS URL of courier-<version>.tar.gz (or set release_s3_bucket)."
  default     = null
}

variable "release_s3_bucket" {
  type        = string
  description = "S3 bucket of the release tarball, under courier/releases/ (or set release_url)."
  default     = null
}

variable "release_sha256" {
  type        = string
  description = "SHA-256 of courier-<version>.tar.gz."
}

variable "cassandra_tarball_sha256" {
  type        = string
  description = "SHA-256 of apache-cassandra-5.0.9-bin.tar.gz (from archive.apache.org/dist/cassandra/5.0.9/)."
}

variable "cassandra_backup_s3_bucket" {
  type        = string
  description = "S3 bucket for Cassandra snapshots (cassandra-snapshot-to-s3). Null: none."
  default     = null
}

# --- Courier ---------------------------------------------------------------------------------------------------------

variable "chains" {
  type = list(object({
    name          = string
    chain_id      = number
    rpc_urls      = list(string)
    gateway       = string
    confirmations = optional(number)
    finality_tag  = optional(string)
    start_block   = optional(number)
    quorum        = optional(number)
    signer_balance_floor_wei = optional(string)
  }))
  description = "The two chains (see the relayer-node module's chains)."

  validation {
    condition     = length(var.chains) == 2
    error_message = "This example relays between exactly two chains."
  }
}

variable "validator_set" {
  type        = list(string)
  description = "The validator addresses the gateways were deployed with: one per relayer node."
}

variable "validator_threshold" {
  type        = number
  description = "Signatures needed (2 of 3: one node may be down or being upgraded)."
  default     = 2

  validation {
    condition     = var.validator_threshold >= 1 && floor(var.validator_threshold) == var.validator_threshold
    error_message = "validator_threshold must be a whole number of at least 1."
  }
}

variable "relayer_nodes" {
  type = map(object({
    validator_keys_secret_arn = string
    submitter_key_secret_arn  = string
    # Per-node release for rolling upgrades one node at a time (see docs/operators.md); null: the global one.
    courier_version = optional(string)
    release_url     = optional(string)
    release_sha256  = optional(string)
  }))
  description = "The relayer nodes by short name, each with its own validator key and submitter key secret (ARNs only), and optionally its own release while an upgrade rolls."

  validation {
    condition     = length(var.relayer_nodes) == 3 && alltrue([for k in keys(var.relayer_nodes) : can(regex("^[a-z0-9]{1,8}$", k))])
    error_message = "This example runs exactly three relayer nodes, named with 1-8 characters of a-z and 0-9."
  }
}

variable "admin_token_secret_arn" {
  type        = string
  description = "ARN of the secret holding the admin bearer token shared by the nodes. Null: admin routes disabled."
  default     = null
}

variable "payment_policy" {
  type        = string
  description = "Who pays for delivery on every node (courier.payment.policy): sponsored on a testnet, whose gas is free to come by; required needs prices for every route in extra_node_config (courier.oracle), or the nodes refuse to start."
  default     = "sponsored"

  validation {
    condition     = contains(["required", "sponsored"], var.payment_policy)
    error_message = "payment_policy must be \"required\" or \"sponsored\"."
  }
}

variable "extra_node_config" {
  type        = string
  description = "HOCON appended to every node's node.conf (routes, monitor, submitter tuning)."
  default     = ""
}

# --- observability ---------------------------------------------------------------------------------------------------

variable "grafana_url" {
  type        = string
  description = "URL of the Grafana the dashboards go to."
}

variable "grafana_token" {
  type        = string
  description = "Grafana service account token (Editor on the folder). Pass it as TF_VAR_grafana_token, never in a file."
  sensitive   = true
}

variable "prometheus_url" {
  type        = string
  description = "URL of the Prometheus Grafana reads from (added as a data source). Null: none."
  default     = null
}
