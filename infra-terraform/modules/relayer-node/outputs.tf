output "autoscaling_group_name" {
  description = "Name of the auto-scaling group. Its instances (and their private IPs) are the group's nodes: `aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names <name>`, or EC2 instances tagged aws:autoscaling:groupName=<name>."
  value       = aws_autoscaling_group.node.name
}

output "autoscaling_group_arn" {
  description = "ARN of the auto-scaling group."
  value       = aws_autoscaling_group.node.arn
}

output "node_private_ips" {
  description = "Private IPs of the group's running instances as of the last plan/apply (data source aws_instances): not updated when the group replaces an instance until the next refresh."
  value       = data.aws_instances.node.private_ips
}

output "node_instance_ids" {
  description = "Instance ids of the group's running instances as of the last plan/apply (same caveat as node_private_ips)."
  value       = data.aws_instances.node.ids
}

output "security_group_id" {
  description = "Security group of the nodes (allow it as a client in the Cassandra module)."
  value       = aws_security_group.node.id
}

output "instance_role_arn" {
  description = "ARN of the nodes' IAM role (reads only the named secrets and the release object)."
  value       = aws_iam_role.node.arn
}

output "instance_role_name" {
  description = "Name of the nodes' IAM role (for example to grant it access in a secret's resource policy)."
  value       = aws_iam_role.node.name
}

output "launch_template_id" {
  description = "Id of the launch template."
  value       = aws_launch_template.node.id
}

output "launch_template_version" {
  description = "Latest version of the launch template (each change of version, image or configuration makes one and rolls the group)."
  value       = aws_launch_template.node.latest_version
}

output "api_port" {
  description = "Port of the status API and /metrics on every node."
  value       = var.api_port
}
