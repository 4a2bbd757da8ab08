data "aws_partition" "current" {}

data "aws_ssm_parameter" "al2023" {
  count = var.ami_id == null ? 1 : 0
  name  = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.architecture}"
}

data "aws_region" "current" {}

locals {
  ami_id       = var.ami_id != null ? var.ami_id : data.aws_ssm_parameter.al2023[0].insecure_value
  download_url = var.cassandra_download_url != null ? var.cassandra_download_url : "https://archive.apache.org/dist/cassandra/${var.cassandra_version}/apache-cassandra-${var.cassandra_version}-bin.tar.gz"
  node_ips     = aws_network_interface.node[*].private_ip
  tags         = merge(var.tags, { "courier:cassandra-cluster" = var.name })
}

# ---------------------------------------------------------------------------------------------------------------------
# Network: fixed interfaces, so the seed list and the contact points are known before the instances boot and stay the
# same when an instance is replaced.
# ---------------------------------------------------------------------------------------------------------------------

resource "aws_security_group" "cassandra" {
  name_prefix = "${var.name}-"
  description = "Cassandra cluster ${var.name}"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "internode" {
  security_group_id            = aws_security_group.cassandra.id
  description                  = "Cassandra internode (gossip, streaming)"
  ip_protocol                  = "tcp"
  from_port                    = 7000
  to_port                      = 7000
  referenced_security_group_id = aws_security_group.cassandra.id
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cql_internal" {
  security_group_id            = aws_security_group.cassandra.id
  description                  = "CQL between the nodes (cqlsh on a node, startup checks)"
  ip_protocol                  = "tcp"
  from_port                    = var.cql_port
  to_port                      = var.cql_port
  referenced_security_group_id = aws_security_group.cassandra.id
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cql_group" {
  for_each                     = toset(var.client_security_group_ids)
  security_group_id            = aws_security_group.cassandra.id
  description                  = "CQL from clients"
  ip_protocol                  = "tcp"
  from_port                    = var.cql_port
  to_port                      = var.cql_port
  referenced_security_group_id = each.value
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cql_cidr" {
  for_each          = toset(var.client_cidrs)
  security_group_id = aws_security_group.cassandra.id
  description       = "CQL from clients"
  ip_protocol       = "tcp"
  from_port         = var.cql_port
  to_port           = var.cql_port
  cidr_ipv4         = strcontains(each.value, ":") ? null : each.value
  cidr_ipv6         = strcontains(each.value, ":") ? each.value : null
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each          = toset(var.ssh_ingress_cidrs)
  security_group_id = aws_security_group.cassandra.id
  description       = "SSH"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = strcontains(each.value, ":") ? null : each.value
  cidr_ipv6         = strcontains(each.value, ":") ? each.value : null
  tags              = local.tags
}

# The Cassandra tarball, dnf repositories, S3: anywhere.
resource "aws_vpc_security_group_egress_rule" "all_ipv4" {
  security_group_id = aws_security_group.cassandra.id
  description       = "All outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

resource "aws_network_interface" "node" {
  count           = var.node_count
  subnet_id       = var.subnet_ids[count.index % length(var.subnet_ids)]
  security_groups = [aws_security_group.cassandra.id]
  description     = "Cassandra ${var.name} node ${count.index}"
  tags            = merge(local.tags, { Name = "${var.name}-${count.index}" })
}

# ---------------------------------------------------------------------------------------------------------------------
# IAM: nothing but the backup prefix (when a bucket is given)
# ---------------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "backup" {
  count = var.backup_s3_bucket == null ? 0 : 1

  statement {
    sid       = "SnapshotObjects"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.backup_s3_bucket}/${var.backup_s3_prefix}/*"]
  }

  statement {
    sid       = "ListSnapshots"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.backup_s3_bucket}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.backup_s3_prefix}/*"]
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "${var.name}-"
  description        = "Cassandra nodes of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "backup" {
  count  = var.backup_s3_bucket == null ? 0 : 1
  name   = "cassandra-backup"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.backup[0].json
}

resource "aws_iam_instance_profile" "node" {
  name_prefix = "${var.name}-"
  role        = aws_iam_role.node.name
  tags        = local.tags
}

# ---------------------------------------------------------------------------------------------------------------------
# Nodes
# ---------------------------------------------------------------------------------------------------------------------

resource "aws_instance" "node" {
  count                   = var.node_count
  ami                     = local.ami_id
  instance_type           = var.instance_type
  key_name                = var.key_name
  iam_instance_profile    = aws_iam_instance_profile.node.name
  disable_api_termination = var.termination_protection

  network_interface {
    network_interface_id = aws_network_interface.node[count.index].id
    device_index         = 0
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required" # IMDSv2 only
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_size           = var.data_volume_size_gb
    volume_type           = "gp3"
    iops                  = var.data_volume_iops
    encrypted             = true
    kms_key_id            = var.ebs_kms_key_arn
    delete_on_termination = true
    tags                  = merge(local.tags, { Name = "${var.name}-${count.index}" })
  }

  user_data_base64 = base64encode(templatefile("${path.module}/templates/cloud-init.yaml.tftpl", {
    install = templatefile("${path.module}/templates/install-cassandra.sh.tftpl", {
      cassandra_version = var.cassandra_version
      download_url      = local.download_url
      tarball_sha256    = var.cassandra_tarball_sha256
      java_package      = var.java_package
      cluster_name      = var.name
      datacenter        = var.datacenter
      cql_port          = var.cql_port
      node_ip           = local.node_ips[count.index]
      # A node replacing a dead one must not list itself as a seed (a seed never bootstraps).
      seeds           = join(",", [for i, ip in local.node_ips : ip if !(contains(var.replacing_node_indexes, count.index) && i == count.index)])
      replace_address = contains(var.replacing_node_indexes, count.index) ? local.node_ips[count.index] : ""
      # Fresh cluster: node i waits for nodes 0..i-1 to answer CQL before it starts (one joins at a time).
      wait_for = join(" ", slice(local.node_ips, 0, count.index))
    })
    snapshot_to_s3 = templatefile("${path.module}/templates/cassandra-snapshot-to-s3.sh.tftpl", {
      bucket = var.backup_s3_bucket == null ? "" : var.backup_s3_bucket
      prefix = var.backup_s3_prefix
      region = data.aws_region.current.name
    })
  }))

  tags = merge(local.tags, { Name = "${var.name}-${count.index}" })

  lifecycle {
    # A new image or changed user data must never replace a database node by surprise; replace one on purpose with
    # terraform apply -replace (see the operator guide).
    ignore_changes = [ami, user_data, user_data_base64]

    precondition {
      condition     = alltrue([for i in var.replacing_node_indexes : i < var.node_count])
      error_message = "replacing_node_indexes holds an index beyond node_count."
    }
  }
}
