variable "name" {
  type        = string
  description = "Name of the cluster's resources (prefix) and of the Cassandra cluster (cluster_name in cassandra.yaml)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the cluster."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets, one per availability zone; node i goes to subnet_ids[i % length(subnet_ids)] and gets that zone as its rack."

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids needs at least one subnet id (subnet-...)."
  }
}

variable "node_count" {
  type        = number
  description = "Cassandra nodes. Three (one per zone) lets Courier's LOCAL_QUORUM and LOCAL_SERIAL operations survive one node down with replication factor 3."
  default     = 3

  validation {
    condition     = var.node_count >= 1 && var.node_count <= 9 && floor(var.node_count) == var.node_count
    error_message = "node_count must be a whole number from 1 to 9."
  }
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type of the nodes (Cassandra sizes its heap from the instance's memory)."
  default     = "m6i.xlarge"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like m6i.xlarge."
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
  description = "AMI of the nodes (Amazon Linux 2023 or compatible). Null takes the latest Amazon Linux 2023 image at creation; later image releases never replace a node (ignore_changes)."
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must look like ami-0123456789abcdef0."
  }
}

variable "data_volume_size_gb" {
  type        = number
  description = "Size of each node's encrypted gp3 root volume, which holds Cassandra's data, commit log and snapshots (/var/lib/cassandra)."
  default     = 100

  validation {
    condition     = var.data_volume_size_gb >= 20 && var.data_volume_size_gb <= 16384
    error_message = "data_volume_size_gb must be from 20 to 16384."
  }
}

variable "data_volume_iops" {
  type        = number
  description = "Provisioned IOPS of the gp3 volume (3000 is gp3's baseline)."
  default     = 3000

  validation {
    condition     = var.data_volume_iops >= 3000 && var.data_volume_iops <= 16000
    error_message = "data_volume_iops must be from 3000 to 16000."
  }
}

variable "ebs_kms_key_arn" {
  type        = string
  description = "KMS key that encrypts the volumes. Null uses the account's default EBS key (the volumes are encrypted either way)."
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

variable "termination_protection" {
  type        = bool
  description = "Protect the nodes from termination through the API (terraform destroy fails until it is turned off)."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}

# ---------------------------------------------------------------------------------------------------------------------
# Cassandra
# ---------------------------------------------------------------------------------------------------------------------

variable "cassandra_version" {
  type        = string
  description = "Apache Cassandra release (5.x: Courier's migrations use ALTER TABLE ADD IF NOT EXISTS and CREATE TABLE ... WITH ID, and the nodes run Java 17)."
  default     = "5.0.9"

  validation {
    condition     = can(regex("^5\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$", var.cassandra_version))
    error_message = "cassandra_version must be a 5.x semantic version such as 5.0.9."
  }
}

variable "cassandra_download_url" {
  type        = string
  description = "HTTPS URL of apache-cassandra-<version>-bin.tar.gz. Null: the Apache archive (archive.apache.org/dist/cassandra/<version>/)."
  default     = null

  validation {
    condition     = var.cassandra_download_url == null || can(regex("^https://", var.cassandra_download_url))
    error_message = "cassandra_download_url must be an https:// URL."
  }
}

variable "cassandra_tarball_sha256" {
  type        = string
  description = "SHA-256 of apache-cassandra-<version>-bin.tar.gz as Apache publishes it (<tarball URL>.sha256); a node refuses a tarball that does not match."

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.cassandra_tarball_sha256))
    error_message = "cassandra_tarball_sha256 must be 64 lower-case hex digits."
  }
}

variable "java_package" {
  type        = string
  description = "dnf package of the Java 17 runtime Cassandra runs on."
  default     = "java-17-amazon-corretto-headless"
}

variable "datacenter" {
  type        = string
  description = "Data center name of the nodes (GossipingPropertyFileSnitch); Courier's cassandra.local-datacenter must equal it."
  default     = "dc1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]+$", var.datacenter))
    error_message = "datacenter must be letters, digits, '_' and '-'."
  }
}

variable "cql_port" {
  type        = number
  description = "Port of CQL (native_transport_port)."
  default     = 9042

  validation {
    condition     = var.cql_port >= 1024 && var.cql_port <= 65535 && floor(var.cql_port) == var.cql_port && var.cql_port != 7000
    error_message = "cql_port must be a whole number from 1024 to 65535, other than the internode port 7000."
  }
}

variable "replacing_node_indexes" {
  type        = list(number)
  description = "Indexes of nodes being replaced after they died (see the operator guide): their new instance starts with -Dcassandra.replace_address_first_boot and without itself as a seed. Empty otherwise."
  default     = []

  validation {
    condition     = alltrue([for i in var.replacing_node_indexes : i >= 0 && i <= 8 && floor(i) == i])
    error_message = "replacing_node_indexes must be node indexes (0-based)."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------------------------------

variable "client_security_group_ids" {
  type        = list(string)
  description = "Security groups allowed to reach CQL (the relayer nodes' groups). Courier connects without authentication or TLS, so only these and client_cidrs must reach the port."
  default     = []

  validation {
    condition     = alltrue([for s in var.client_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "client_security_group_ids must be security group ids (sg-...)."
  }
}

variable "client_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to reach CQL (operators' cqlsh, a bastion). Not 0.0.0.0/0."
  default     = []

  validation {
    condition     = alltrue([for c in var.client_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0" && c != "::/0"])
    error_message = "client_cidrs must be CIDR blocks, and not 0.0.0.0/0 or ::/0."
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

variable "backup_s3_bucket" {
  type        = string
  description = "S3 bucket the nodes upload snapshots to with cassandra-snapshot-to-s3 (read, write and list only under backup_s3_prefix). Null: no S3 access."
  default     = null

  validation {
    condition     = var.backup_s3_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backup_s3_bucket))
    error_message = "backup_s3_bucket must be an S3 bucket name."
  }
}

variable "backup_s3_prefix" {
  type        = string
  description = "Folder of the snapshots in backup_s3_bucket (no leading or trailing slash)."
  default     = "cassandra-snapshots"

  validation {
    condition     = can(regex("^[^/](.*[^/])?$", var.backup_s3_prefix))
    error_message = "backup_s3_prefix must be non-empty and not start or end with '/'."
  }
}
