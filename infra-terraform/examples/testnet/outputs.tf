output "relayer_autoscaling_groups" {
  description = "Auto-scaling group of each relayer node."
  value       = { for k, n in module.relayer : k => n.autoscaling_group_name }
}

output "relayer_private_ips" {
  description = "Private IPs of each relayer node as of this apply (see the relayer-node module's node_private_ips)."
  value       = { for k, n in module.relayer : k => n.node_private_ips }
}

output "relayer_instance_roles" {
  description = "IAM role of each relayer node."
  value       = { for k, n in module.relayer : k => n.instance_role_arn }
}

output "cassandra_contact_points" {
  description = "host:port of the Cassandra nodes."
  value       = module.cassandra.contact_points
}

output "cassandra_create_keyspace_cql" {
  description = "CQL for a NetworkTopologyStrategy keyspace, if you create it yourself."
  value       = module.cassandra.create_keyspace_cql
}

output "prometheus_scrape_config" {
  description = "Prometheus scrape_configs for the nodes (also in the SSM parameter)."
  value       = module.observability.prometheus_scrape_config
}

output "grafana_dashboard_uids" {
  description = "Dashboards loaded into Grafana."
  value       = module.observability.grafana_dashboard_uids
}
