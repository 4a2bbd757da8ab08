data "aws_partition" "current" {}

# Latest Amazon Linux 2023 image, unless ami_id pins one.
data "aws_ssm_parameter" "al2023" {
  count = var.ami_id == null ? 1 : 0
  name  = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.architecture}"
}

# The chosen image, for its root device name.
data "aws_ami" "selected" {
  filter {
    name   = "image-id"
    values = [local.ami_id]
  }
}

locals {
  ami_id = var.ami_id != null ? var.ami_id : data.aws_ssm_parameter.al2023[0].insecure_value

  tarball        = "courier-${var.courier_version}.tar.gz"
  release_s3_key = var.release_s3_prefix == "" ? local.tarball : "${var.release_s3_prefix}/${local.tarball}"
  release_source = var.release_url != null ? var.release_url : "s3://${coalesce(var.release_s3_bucket, "-")}/${local.release_s3_key}"

  secret_arns = compact([var.validator_keys_secret_arn, var.submitter_key_secret_arn, var.admin_token_secret_arn == null ? "" : var.admin_token_secret_arn])

  # node.conf: the generated part as JSON (valid HOCON), then extra_node_config, which HOCON merges over it.
  chains_conf = [for c in var.chains : merge(
    {
      name       = c.name
      "chain-id" = c.chain_id
      "rpc-urls" = c.rpc_urls
      gateway    = c.gateway
    },
    c.confirmations != null ? { finality = { confirmations = c.confirmations } } : {},
    c.finality_tag != null ? { finality = { tag = c.finality_tag } } : {},
    c.start_block != null ? { "start-block" = c.start_block } : {},
    c.quorum != null ? { quorum = c.quorum } : {},
    c.signer_balance_floor_wei != null ? { "signer-balance-floor-wei" = c.signer_balance_floor_wei } : {},
  )]

  node_conf = join("\n", [
    "# Written by Terraform (infra-terraform/modules/relayer-node). Keys come from /etc/courier/secrets.env.",
    "courier = ${jsonencode({
      cassandra = {
        "contact-points"     = var.cassandra_contact_points
        "local-datacenter"   = var.cassandra_local_datacenter
        keyspace             = var.cassandra_keyspace
        "create-keyspace"    = var.cassandra_create_keyspace
        "replication-factor" = var.cassandra_replication_factor
      }
      api = {
        host = "0.0.0.0"
        port = var.api_port
      }
      chains = local.chains_conf
      validator = {
        set       = var.validator_set
        threshold = var.validator_threshold
      }
      payment = {
        policy = var.payment_policy
      }
    })}",
    var.extra_node_config,
    "",
  ])

  fetch_secrets = templatefile("${path.module}/templates/fetch-secrets.sh.tftpl", {
    validator_keys_secret_arn = var.validator_keys_secret_arn
    submitter_key_secret_arn  = var.submitter_key_secret_arn
    admin_token_secret_arn    = var.admin_token_secret_arn == null ? "" : var.admin_token_secret_arn
  })

  install_courier = templatefile("${path.module}/templates/install-courier.sh.tftpl", {
    courier_version = var.courier_version
    release_source  = local.release_source
    release_sha256  = var.release_sha256
    java_package    = var.java_package
    node_name       = var.name
  })

  user_data = templatefile("${path.module}/templates/cloud-init.yaml.tftpl", {
    node_conf       = local.node_conf
    fetch_secrets   = local.fetch_secrets
    install_courier = local.install_courier
  })

  tags = merge(var.tags, { "courier:node-group" = var.name })
}

# ---------------------------------------------------------------------------------------------------------------------
# IAM: read the named secrets (and the release object), nothing else
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

data "aws_iam_policy_document" "node" {
  statement {
    sid       = "ReadCourierKeys"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.secret_arns
  }

  dynamic "statement" {
    for_each = length(var.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "DecryptCourierKeys"
      actions   = ["kms:Decrypt"]
      resources = var.secrets_kms_key_arns
      condition {
        test     = "StringLike"
        variable = "kms:ViaService"
        values   = ["secretsmanager.*.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.release_s3_bucket != null ? [1] : []
    content {
      sid       = "ReadCourierRelease"
      actions   = ["s3:GetObject"]
      resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.release_s3_bucket}/${local.release_s3_key}"]
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "${var.name}-"
  description        = "Courier relayer nodes of ${var.name}: read their keys from Secrets Manager"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "node" {
  name   = "courier-node"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.node.json
}

resource "aws_iam_instance_profile" "node" {
  name_prefix = "${var.name}-"
  role        = aws_iam_role.node.name
  tags        = local.tags
}

# ---------------------------------------------------------------------------------------------------------------------
# Security group: API port from the given CIDRs / groups, cluster port among the group's nodes, all egress
# ---------------------------------------------------------------------------------------------------------------------

resource "aws_security_group" "node" {
  name_prefix = "${var.name}-"
  description = "Courier relayer nodes ${var.name}"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "api_cidr" {
  for_each          = toset(concat(var.api_ingress_cidrs, var.metrics_ingress_cidrs))
  security_group_id = aws_security_group.node.id
  description       = "Courier API and /metrics"
  ip_protocol       = "tcp"
  from_port         = var.api_port
  to_port           = var.api_port
  cidr_ipv4         = strcontains(each.value, ":") ? null : each.value
  cidr_ipv6         = strcontains(each.value, ":") ? each.value : null
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "api_public" {
  count             = var.allow_public_api ? 1 : 0
  security_group_id = aws_security_group.node.id
  description       = "Courier API open to the internet (allow_public_api)"
  ip_protocol       = "tcp"
  from_port         = var.api_port
  to_port           = var.api_port
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "api_group" {
  for_each                     = toset(var.api_ingress_security_group_ids)
  security_group_id            = aws_security_group.node.id
  description                  = "Courier API and /metrics"
  ip_protocol                  = "tcp"
  from_port                    = var.api_port
  to_port                      = var.api_port
  referenced_security_group_id = each.value
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cluster" {
  count                        = var.cluster_port == null ? 0 : 1
  security_group_id            = aws_security_group.node.id
  description                  = "Node to node (cluster port)"
  ip_protocol                  = "tcp"
  from_port                    = var.cluster_port
  to_port                      = var.cluster_port
  referenced_security_group_id = aws_security_group.node.id
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each          = toset(var.ssh_ingress_cidrs)
  security_group_id = aws_security_group.node.id
  description       = "SSH"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = strcontains(each.value, ":") ? null : each.value
  cidr_ipv6         = strcontains(each.value, ":") ? each.value : null
  tags              = local.tags
}

# RPC endpoints, Secrets Manager, the release and dnf repositories, Cassandra: anywhere.
resource "aws_vpc_security_group_egress_rule" "all_ipv4" {
  security_group_id = aws_security_group.node.id
  description       = "All outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

# ---------------------------------------------------------------------------------------------------------------------
# Launch template and auto-scaling group
# ---------------------------------------------------------------------------------------------------------------------

resource "aws_launch_template" "node" {
  name_prefix            = "${var.name}-"
  description            = "Courier ${var.courier_version} relayer node"
  image_id               = local.ami_id
  instance_type          = var.instance_type
  key_name               = var.key_name
  vpc_security_group_ids = concat([aws_security_group.node.id], var.additional_security_group_ids)
  user_data              = base64encode(local.user_data)
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.node.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required" # IMDSv2 only
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = data.aws_ami.selected.root_device_name
    ebs {
      volume_size           = var.root_volume_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.ebs_kms_key_arn
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = var.name })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(local.tags, { Name = var.name })
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = (var.release_url == null) != (var.release_s3_bucket == null)
      error_message = "Set exactly one of release_url and release_s3_bucket."
    }
    precondition {
      condition     = var.validator_threshold <= length(var.validator_set)
      error_message = "validator_threshold exceeds the size of validator_set."
    }
  }
}

resource "aws_autoscaling_group" "node" {
  name_prefix               = "${var.name}-"
  vpc_zone_identifier       = var.subnet_ids
  desired_capacity          = var.node_count
  min_size                  = var.node_count
  max_size                  = var.node_count
  health_check_type         = "EC2"
  health_check_grace_period = var.health_check_grace_period

  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }

  # A new launch template version (Courier version, image, config, key ARNs) replaces the nodes a few at a time.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = var.instance_refresh_min_healthy_percentage
      instance_warmup        = var.health_check_grace_period
    }
  }

  dynamic "tag" {
    for_each = merge(local.tags, { Name = var.name })
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

# The running instances of the group as of this plan/apply (an ASG exposes no addresses itself). Replacements the
# group makes later show up at the next refresh; use the ASG name (or the EC2 API) for the live list.
data "aws_instances" "node" {
  instance_tags = {
    "aws:autoscaling:groupName" = aws_autoscaling_group.node.name
  }
  instance_state_names = ["running"]

  depends_on = [aws_autoscaling_group.node]
}
