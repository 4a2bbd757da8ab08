# Courier on a testnet: two chains, three relayer nodes (one validator key and one submitter key each, threshold 2 of
# 3), a three-node Cassandra cluster across availability zones, a Prometheus scrape config and the Grafana dashboards.

module "cassandra" {
  source = "../../modules/cassandra"

  name                     = "${var.name}-db"
  vpc_id                   = var.vpc_id
  subnet_ids               = var.private_subnet_ids
  node_count               = 3
  instance_type            = "m6i.large"
  data_volume_size_gb      = 50
  cassandra_tarball_sha256 = var.cassandra_tarball_sha256
  client_security_group_ids = [for n in module.relayer : n.security_group_id]
  client_cidrs             = var.operator_cidrs
  backup_s3_bucket         = var.cassandra_backup_s3_bucket
  termination_protection   = false # a testnet is torn down now and then
}

# One group (of one node) per validator: each node holds only its own validator key and its own submitter signer,
# and the auto-scaling group replaces it when the instance dies.
module "relayer" {
  source   = "../../modules/relayer-node"
  for_each = var.relayer_nodes

  name       = "${var.name}-${each.key}"
  vpc_id     = var.vpc_id
  subnet_ids = var.private_subnet_ids
  node_count = 1

  # A node's own release, while an upgrade rolls one node at a time; otherwise the global one.
  courier_version   = coalesce(each.value.courier_version, var.courier_version)
  release_url       = each.value.release_url != null ? each.value.release_url : var.release_url
  release_s3_bucket = each.value.release_url != null ? null : var.release_s3_bucket
  release_sha256    = coalesce(each.value.release_sha256, var.release_sha256)

  cassandra_contact_points     = module.cassandra.contact_points
  cassandra_local_datacenter   = module.cassandra.datacenter
  cassandra_replication_factor = 3

  chains              = var.chains
  validator_set       = var.validator_set
  validator_threshold = var.validator_threshold
  payment_policy      = var.payment_policy
  extra_node_config   = var.extra_node_config

  validator_keys_secret_arn = each.value.validator_keys_secret_arn
  submitter_key_secret_arn  = each.value.submitter_key_secret_arn
  admin_token_secret_arn    = var.admin_token_secret_arn

  api_ingress_cidrs     = var.operator_cidrs
  metrics_ingress_cidrs = var.prometheus_cidrs
}

module "observability" {
  source = "../../modules/observability"

  name               = var.name
  aws_region         = var.aws_region
  relayer_asg_names  = [for n in module.relayer : n.autoscaling_group_name]
  metrics_port       = 8080
  ssm_parameter_name = "/${var.name}/prometheus/scrape-configs"
  dashboards_dir     = "${path.module}/../../../dashboards/grafana"
  prometheus_url     = var.prometheus_url
}
