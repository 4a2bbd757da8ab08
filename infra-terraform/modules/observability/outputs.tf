output "prometheus_scrape_config" {
  description = "Prometheus configuration holding the scrape_configs for the nodes (YAML): merge it into prometheus.yml."
  value       = local.prometheus_scrape_config
}

output "ssm_parameter_arn" {
  description = "ARN of the SSM parameter holding the scrape config, or null."
  value       = one(aws_ssm_parameter.scrape_config[*].arn)
}

output "grafana_folder_uid" {
  description = "uid of the Grafana folder of the dashboards."
  value       = grafana_folder.courier.uid
}

output "grafana_dashboard_uids" {
  description = "Dashboard uid by JSON file name (empty until dashboards_dir holds *.json files)."
  value       = { for f, d in grafana_dashboard.courier : f => d.uid }
}

output "grafana_datasource_uid" {
  description = "uid of the Prometheus data source in Grafana, or null when prometheus_url is null."
  value       = one(grafana_data_source.prometheus[*].uid)
}
