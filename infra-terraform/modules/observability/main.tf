locals {
  # Prometheus scrape config. EC2 service discovery finds the relayer instances by their auto-scaling group, so
  # nodes the groups replace are picked up without a Terraform run. The Prometheus server needs
  # ec2:DescribeInstances and ec2:DescribeAvailabilityZones (EC2 Describe actions accept only Resource "*").
  scrape_configs = concat(
    length(var.relayer_asg_names) == 0 ? [] : [{
      job_name        = "${var.name}-courier"
      scrape_interval = var.scrape_interval
      metrics_path    = "/metrics"
      ec2_sd_configs = [{
        region = var.aws_region
        port   = var.metrics_port
        filters = [
          { name = "tag:aws:autoscaling:groupName", values = var.relayer_asg_names },
          { name = "instance-state-name", values = ["running"] },
        ]
      }]
      relabel_configs = [
        { source_labels = ["__meta_ec2_tag_aws_autoscaling_groupName"], target_label = "node_group" },
        { source_labels = ["__meta_ec2_instance_id"], target_label = "instance" },
        { source_labels = ["__meta_ec2_availability_zone"], target_label = "availability_zone" },
      ]
    }],
    length(var.static_targets) == 0 ? [] : [{
      job_name        = "${var.name}-courier-static"
      scrape_interval = var.scrape_interval
      metrics_path    = "/metrics"
      static_configs  = [{ targets = var.static_targets }]
    }],
  )

  prometheus_scrape_config = yamlencode({ scrape_configs = local.scrape_configs })

  dashboard_files = fileset(var.dashboards_dir, "*.json")
}

resource "aws_ssm_parameter" "scrape_config" {
  count       = var.ssm_parameter_name == null ? 0 : 1
  name        = var.ssm_parameter_name
  description = "Prometheus scrape_configs for the Courier nodes of ${var.name}"
  type        = "String"
  tier        = length(local.prometheus_scrape_config) > 4096 ? "Advanced" : "Standard"
  value       = local.prometheus_scrape_config
  tags        = var.tags
}

resource "grafana_folder" "courier" {
  title = var.grafana_folder_title
  uid   = "${var.name}-courier"
}

resource "grafana_data_source" "prometheus" {
  count = var.prometheus_url == null ? 0 : 1
  type  = "prometheus"
  name  = "${var.name} Prometheus"
  uid   = var.grafana_datasource_uid
  url   = var.prometheus_url
}

resource "grafana_dashboard" "courier" {
  for_each    = local.dashboard_files
  config_json = file("${var.dashboards_dir}/${each.value}")
  folder      = grafana_folder.courier.uid
  overwrite   = true
}
