terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_ssm_parameter for the scrape config (6.x not yet verified).
      version = ">= 5.40, < 6.0"
    }
    grafana = {
      source = "grafana/grafana"
      # grafana_folder, grafana_dashboard (config_json), grafana_data_source.
      version = "~> 3.0"
    }
  }
}
