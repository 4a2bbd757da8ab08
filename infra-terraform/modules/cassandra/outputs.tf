output "contact_points" {
  description = "host:port of every node, for Courier's cassandra.contact-points (the relayer-node module's cassandra_contact_points)."
  value       = [for ip in aws_network_interface.node[*].private_ip : "${ip}:${var.cql_port}"]
}

output "private_ips" {
  description = "Private IPs of the nodes, by node index (fixed network interfaces: they survive instance replacement)."
  value       = aws_network_interface.node[*].private_ip
}

output "private_dns_names" {
  description = "Private DNS names of the nodes, by node index."
  value       = aws_network_interface.node[*].private_dns_name
}

output "port" {
  description = "CQL port."
  value       = var.cql_port
}

output "datacenter" {
  description = "Data center of the nodes: Courier's cassandra.local-datacenter."
  value       = var.datacenter
}

output "security_group_id" {
  description = "Security group of the nodes."
  value       = aws_security_group.cassandra.id
}

output "instance_ids" {
  description = "Instance ids of the nodes, by node index."
  value       = aws_instance.node[*].id
}

output "instance_role_arn" {
  description = "ARN of the nodes' IAM role (S3 access to the backup prefix only, if a bucket is given)."
  value       = aws_iam_role.node.arn
}

output "create_keyspace_cql" {
  description = "CQL that creates Courier's keyspace with NetworkTopologyStrategy (replication 3, or node_count if smaller) instead of letting the node create a SimpleStrategy one."
  value       = "CREATE KEYSPACE IF NOT EXISTS courier WITH replication = {'class': 'NetworkTopologyStrategy', '${var.datacenter}': ${min(3, var.node_count)}};"
}
