# ---------------------------------------------------------------------------------------------------------------------
# Placement
# ---------------------------------------------------------------------------------------------------------------------

variable "name" {
  type        = string
  description = "Name of this node group: prefix of every resource, the ASG and the nodes' COURIER_NODE_NAME (<name>-<instance id>)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC the nodes and their security group live in."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets (ideally one per availability zone) the auto-scaling group spreads the nodes over."

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids needs at least one subnet id (subnet-...)."
  }
}

variable "node_count" {
  type        = number
  description = "Nodes in this group: desired, minimum and maximum size of the auto-scaling group. All nodes of one group share the same keys (see README: one group per validator)."
  default     = 1

  validation {
    condition     = var.node_count >= 1 && var.node_count <= 10 && floor(var.node_count) == var.node_count
    error_message = "node_count must be a whole number from 1 to 10."
  }
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type of the nodes (a JVM with Pekko, Web3j and the Cassandra driver; 2 vCPU / 8 GiB is comfortable)."
  default     = "t3.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like t3.large."
  }
}

variable "architecture" {
  type        = string
  description = "CPU architecture of the default Amazon Linux 2023 image (ignored when ami_id is set): x86_64 or arm64."
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "ami_id" {
  type        = string
  description = "AMI of the nodes (must be Amazon Linux 2023 or compatible: dnf, systemd, AWS CLI v2). Null follows the latest Amazon Linux 2023 image, which rolls the nodes whenever Amazon publishes one; pin it in production."
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must look like ami-0123456789abcdef0."
  }
}

variable "root_volume_size_gb" {
  type        = number
  description = "Size of the encrypted gp3 root volume (install, config and logs; Courier keeps no state on the node)."
  default     = 30

  validation {
    condition     = var.root_volume_size_gb >= 8 && var.root_volume_size_gb <= 1024
    error_message = "root_volume_size_gb must be from 8 to 1024."
  }
}

variable "ebs_kms_key_arn" {
  type        = string
  description = "KMS key that encrypts the root volume. Null uses the account's default EBS key (the volume is encrypted either way)."
  default     = null

  validation {
    condition     = var.ebs_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.ebs_kms_key_arn))
    error_message = "ebs_kms_key_arn must be a KMS key ARN."
  }
}

variable "key_name" {
  type        = string
  description = "EC2 key pair name for SSH (only reachable from ssh_ingress_cidrs). Null: no key pair."
  default     = null
}

variable "additional_security_group_ids" {
  type        = list(string)
  description = "Further security groups attached to the nodes (for example one a database or load balancer allows)."
  default     = []

  validation {
    condition     = alltrue([for s in var.additional_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "additional_security_group_ids must be security group ids (sg-...)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource (and propagated to the instances and their volumes)."
  default     = {}
}

# ---------------------------------------------------------------------------------------------------------------------
# Network access
# ---------------------------------------------------------------------------------------------------------------------

variable "api_port" {
  type        = number
  description = "Port of the status API, which also serves /metrics, /healthz and /readyz (courier.api.port)."
  default     = 8080

  validation {
    condition     = var.api_port >= 1024 && var.api_port <= 65535 && floor(var.api_port) == var.api_port
    error_message = "api_port must be a whole number from 1024 to 65535."
  }
}

variable "api_ingress_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to reach the API port (status API, /readyz). Not 0.0.0.0/0: use allow_public_api for that."
  default     = []

  validation {
    condition     = alltrue([for c in var.api_ingress_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0" && c != "::/0"])
    error_message = "api_ingress_cidrs must be CIDR blocks (10.0.0.0/16), and not 0.0.0.0/0 or ::/0 (set allow_public_api instead)."
  }
}

variable "metrics_ingress_cidrs" {
  type        = list(string)
  description = "CIDR blocks of the Prometheus servers that scrape /metrics. Courier serves /metrics on the API port, so these reach the whole API too."
  default     = []

  validation {
    condition     = alltrue([for c in var.metrics_ingress_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0" && c != "::/0"])
    error_message = "metrics_ingress_cidrs must be CIDR blocks, and not 0.0.0.0/0 or ::/0."
  }
}

variable "api_ingress_security_group_ids" {
  type        = list(string)
  description = "Security groups (a load balancer, a Prometheus server) allowed to reach the API port."
  default     = []

  validation {
    condition     = alltrue([for s in var.api_ingress_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "api_ingress_security_group_ids must be security group ids (sg-...)."
  }
}

variable "allow_public_api" {
  type        = bool
  description = "Open the API port to 0.0.0.0/0. The admin routes need the admin token, but everything else (transfers, /metrics) is readable by anyone."
  default     = false
}

variable "cluster_port" {
  type        = number
  description = "Port the nodes of this group may reach each other on (self-referencing rule), 25520 being Pekko Artery's default. Null opens nothing: today's Courier nodes coordinate only through Cassandra and listen on no cluster port."
  default     = null

  validation {
    condition     = var.cluster_port == null || (coalesce(var.cluster_port, 0) >= 1024 && coalesce(var.cluster_port, 0) <= 65535)
    error_message = "cluster_port must be null or from 1024 to 65535."
  }
}

variable "ssh_ingress_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to SSH to the nodes (port 22). Empty: no SSH rule."
  default     = []

  validation {
    condition     = alltrue([for c in var.ssh_ingress_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0" && c != "::/0"])
    error_message = "ssh_ingress_cidrs must be CIDR blocks, and not 0.0.0.0/0 or ::/0."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Release
# ---------------------------------------------------------------------------------------------------------------------

variable "courier_version" {
  type        = string
  description = "Courier release to install: the tarball is courier-<version>.tar.gz. Changing it rolls the group (instance refresh)."

  validation {
    condition     = can(regex("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$", var.courier_version))
    error_message = "courier_version must be a semantic version such as 1.2.3 or 1.3.0-rc.1."
  }
}

variable "release_url" {
  type        = string
  description = "HTTPS URL of courier-<version>.tar.gz. Set exactly one of release_url and release_s3_bucket."
  default     = null

  validation {
    condition     = var.release_url == null || can(regex("^https://[^\\s]+/courier-[^/\\s]+\\.tar\\.gz$", var.release_url))
    error_message = "release_url must be an https:// URL ending in /courier-<version>.tar.gz."
  }
}

variable "release_s3_bucket" {
  type        = string
  description = "S3 bucket holding the release tarball (the nodes may read only that object). Set exactly one of release_url and release_s3_bucket."
  default     = null

  validation {
    condition     = var.release_s3_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.release_s3_bucket))
    error_message = "release_s3_bucket must be an S3 bucket name."
  }
}

variable "release_s3_prefix" {
  type        = string
  description = "Folder of the tarball in release_s3_bucket (no leading or trailing slash); the object is <prefix>/courier-<version>.tar.gz. Empty: the bucket's root."
  default     = "courier/releases"

  validation {
    condition     = var.release_s3_prefix == "" || can(regex("^[^/].*[^/]$|^[^/]$", var.release_s3_prefix))
    error_message = "release_s3_prefix must not start or end with '/'."
  }
}

variable "release_sha256" {
  type        = string
  description = "SHA-256 of courier-<version>.tar.gz (64 hex digits). The node refuses to install a tarball that does not match."

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.release_sha256))
    error_message = "release_sha256 must be 64 lower-case hex digits."
  }
}

variable "java_package" {
  type        = string
  description = "dnf package of the Java 17+ runtime Courier runs on."
  default     = "java-17-amazon-corretto-headless"
}

# ---------------------------------------------------------------------------------------------------------------------
# Node configuration (rendered to /etc/courier/node.conf; keys as in relayer/src/main/resources/reference.conf)
# ---------------------------------------------------------------------------------------------------------------------

variable "cassandra_contact_points" {
  type        = list(string)
  description = "host:port of the Cassandra nodes (courier.cassandra.contact-points), e.g. the cassandra module's contact_points output."

  validation {
    condition     = length(var.cassandra_contact_points) > 0 && alltrue([for p in var.cassandra_contact_points : can(regex("^[A-Za-z0-9.-]+:[0-9]{1,5}$", p))])
    error_message = "cassandra_contact_points needs at least one host:port."
  }
}

variable "cassandra_local_datacenter" {
  type        = string
  description = "Cassandra data center the driver treats as local (courier.cassandra.local-datacenter)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]+$", var.cassandra_local_datacenter))
    error_message = "cassandra_local_datacenter must be a data center name (letters, digits, '_', '-')."
  }
}

variable "cassandra_keyspace" {
  type        = string
  description = "Keyspace of Courier's tables (courier.cassandra.keyspace)."
  default     = "courier"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,47}$", var.cassandra_keyspace))
    error_message = "cassandra_keyspace must be a-z, 0-9 and '_', starting with a letter, at most 48 characters."
  }
}

variable "cassandra_create_keyspace" {
  type        = bool
  description = "Let the node create the keyspace at start (SimpleStrategy with cassandra_replication_factor). False when you create it yourself, e.g. with NetworkTopologyStrategy."
  default     = true
}

variable "cassandra_replication_factor" {
  type        = number
  description = "Replication factor of the keyspace the node creates (courier.cassandra.replication-factor)."
  default     = 3

  validation {
    condition     = var.cassandra_replication_factor >= 1 && var.cassandra_replication_factor <= 9 && floor(var.cassandra_replication_factor) == var.cassandra_replication_factor
    error_message = "cassandra_replication_factor must be a whole number from 1 to 9."
  }
}

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
    # wei as a decimal string (above 2^53: not a number in JSON)
    signer_balance_floor_wei = optional(string)
  }))
  description = "Chains the node watches and delivers to (courier.chains). Finality: confirmations, or finality_tag (\"safe\"/\"finalized\"); neither uses chain-defaults. RPC URLs land in user data and state: do not use URLs with API keys in them. quorum: how many of rpc_urls must each confirm a message before it is final and signed (docs/adr/007-quorum-reads.md); with three independent providers, 2. signer_balance_floor_wei: below this balance the node's submitter signs nothing new on the chain (default 10^16 wei)."

  validation {
    condition     = length(var.chains) >= 2
    error_message = "chains needs at least two chains (a source and a destination)."
  }

  validation {
    condition     = length(distinct([for c in var.chains : c.chain_id])) == length(var.chains) && length(distinct([for c in var.chains : c.name])) == length(var.chains)
    error_message = "chain names and chain ids must be unique."
  }

  validation {
    condition = alltrue([for c in var.chains :
      can(regex("^0x[0-9a-fA-F]{40}$", c.gateway)) && length(c.rpc_urls) > 0
      && alltrue([for u in c.rpc_urls : can(regex("^https?://", u))])
      && !(c.confirmations != null && c.finality_tag != null)
    && (c.finality_tag == null || contains(["safe", "finalized"], coalesce(c.finality_tag, "finalized")))])
    error_message = "each chain needs a gateway address (0x + 40 hex), at least one http(s) RPC URL, and at most one of confirmations / finality_tag (safe or finalized)."
  }

  validation {
    condition     = alltrue([for c in var.chains : c.quorum == null || (coalesce(c.quorum, 1) >= 1 && coalesce(c.quorum, 1) <= length(c.rpc_urls))])
    error_message = "a chain's quorum must be between 1 and its number of rpc_urls (the node refuses more: no message could ever be confirmed)."
  }

  validation {
    condition     = alltrue([for c in var.chains : c.signer_balance_floor_wei == null || can(regex("^[0-9]+$", coalesce(c.signer_balance_floor_wei, "0")))])
    error_message = "signer_balance_floor_wei is a whole number of wei written as a decimal string, e.g. \"10000000000000000\"."
  }
}

variable "validator_set" {
  type        = list(string)
  description = "Addresses of the validator set the gateways were deployed with (courier.validator.set)."

  validation {
    condition     = length(var.validator_set) > 0 && alltrue([for a in var.validator_set : can(regex("^0x[0-9a-fA-F]{40}$", a))])
    error_message = "validator_set needs at least one address (0x + 40 hex digits)."
  }
}

variable "validator_threshold" {
  type        = number
  description = "How many validators of the set must sign (courier.validator.threshold)."

  validation {
    condition     = var.validator_threshold >= 1 && floor(var.validator_threshold) == var.validator_threshold
    error_message = "validator_threshold must be a whole number of at least 1."
  }
}

variable "payment_policy" {
  type        = string
  description = "Who pays for delivery (courier.payment.policy). required: a message is delivered only when its GasPaid payments reach the oracle's quote, so the node needs prices (courier.oracle native-assets and assets, in extra_node_config) for every route, or it refuses to start; sponsored: delivered whatever was paid (the operator pays the destination gas). Per-route overrides go in extra_node_config (courier.payment.routes)."
  default     = "required"

  validation {
    condition     = contains(["required", "sponsored"], var.payment_policy)
    error_message = "payment_policy must be \"required\" or \"sponsored\"."
  }
}

variable "extra_node_config" {
  type        = string
  description = "More HOCON appended to node.conf after the generated part (routes, monitor, submitter tuning...). Never put keys here: they come from Secrets Manager."
  default     = ""
}

# ---------------------------------------------------------------------------------------------------------------------
# Keys (AWS Secrets Manager). Only the ARNs pass through Terraform; the values are read by the node at boot.
# ---------------------------------------------------------------------------------------------------------------------

variable "validator_keys_secret_arn" {
  type        = string
  description = "ARN of the secret whose SecretString holds this group's validator private keys, hex, comma-separated (becomes COURIER_VALIDATOR_KEYS)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.validator_keys_secret_arn))
    error_message = "validator_keys_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "submitter_key_secret_arn" {
  type        = string
  description = "ARN of the secret whose SecretString holds the submitter's private key, hex (becomes COURIER_SUBMITTER_KEY)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.submitter_key_secret_arn))
    error_message = "submitter_key_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "admin_token_secret_arn" {
  type        = string
  description = "ARN of the secret holding the admin bearer token (COURIER_ADMIN_TOKEN, at least 16 characters). Null: the admin routes answer 403; chains are then resumed with the CLI."
  default     = null

  validation {
    condition     = var.admin_token_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.admin_token_secret_arn))
    error_message = "admin_token_secret_arn must be null or a Secrets Manager secret ARN."
  }
}

variable "secrets_kms_key_arns" {
  type        = list(string)
  description = "Customer-managed KMS keys the secrets are encrypted with (kms:Decrypt is granted only through Secrets Manager). Empty when they use the AWS-managed key."
  default     = []

  validation {
    condition     = alltrue([for k in var.secrets_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", k))])
    error_message = "secrets_kms_key_arns must be KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Rolling replacement
# ---------------------------------------------------------------------------------------------------------------------

variable "instance_refresh_min_healthy_percentage" {
  type        = number
  description = "Share of the group kept in service while an instance refresh replaces nodes (a new version, image or config)."
  default     = 66

  validation {
    condition     = var.instance_refresh_min_healthy_percentage >= 0 && var.instance_refresh_min_healthy_percentage <= 100
    error_message = "instance_refresh_min_healthy_percentage must be from 0 to 100."
  }
}

variable "health_check_grace_period" {
  type        = number
  description = "Seconds after launch before the group judges an instance's health (install plus JVM start)."
  default     = 300

  validation {
    condition     = var.health_check_grace_period >= 0 && var.health_check_grace_period <= 7200
    error_message = "health_check_grace_period must be from 0 to 7200 seconds."
  }
}
