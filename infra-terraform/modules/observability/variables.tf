variable "name" {
  type        = string
  description = "Name of this deployment: prefix of the Prometheus job names and of the Grafana folder uid."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "aws_region" {
  type        = string
  description = "Region of the relayer nodes, where Prometheus' EC2 service discovery looks for them."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-central-1."
  }
}

variable "relayer_asg_names" {
  type        = list(string)
  description = "Auto-scaling groups of the relayer nodes (the relayer-node module's autoscaling_group_name): Prometheus scrapes every running instance of them."
  default     = []
}

variable "static_targets" {
  type        = list(string)
  description = "More host:port targets to scrape outside EC2 discovery (for example a node run by hand)."
  default     = []

  validation {
    condition     = alltrue([for t in var.static_targets : can(regex("^[A-Za-z0-9.-]+:[0-9]{1,5}$", t))])
    error_message = "static_targets must be host:port."
  }
}

variable "metrics_port" {
  type        = number
  description = "Port of /metrics on the nodes: Courier serves it on the API port (courier.api.port)."
  default     = 8080

  validation {
    condition     = var.metrics_port >= 1 && var.metrics_port <= 65535 && floor(var.metrics_port) == var.metrics_port
    error_message = "metrics_port must be a whole number from 1 to 65535."
  }
}

variable "scrape_interval" {
  type        = string
  description = "How often Prometheus scrapes each node (Prometheus duration)."
  default     = "15s"

  validation {
    condition     = can(regex("^[0-9]+(ms|s|m|h)$", var.scrape_interval))
    error_message = "scrape_interval must be a Prometheus duration such as 15s or 1m."
  }
}

variable "ssm_parameter_name" {
  type        = string
  description = "SSM parameter to store the scrape config in, for a Prometheus host to fetch. Null: no parameter, use the prometheus_scrape_config output."
  default     = null

  validation {
    condition     = var.ssm_parameter_name == null || can(regex("^/[A-Za-z0-9_./-]+$", var.ssm_parameter_name))
    error_message = "ssm_parameter_name must be an SSM parameter path starting with '/'."
  }
}

variable "dashboards_dir" {
  type        = string
  description = "Folder of Grafana dashboard JSON files (repository: dashboards/grafana); every *.json in it becomes a dashboard. A missing or empty folder makes none."
}

variable "grafana_folder_title" {
  type        = string
  description = "Grafana folder the dashboards go to."
  default     = "Courier"
}

variable "prometheus_url" {
  type        = string
  description = "URL of the Prometheus that scrapes the nodes, added to Grafana as a data source. Null: no data source is created."
  default     = null

  validation {
    condition     = var.prometheus_url == null || can(regex("^https?://", var.prometheus_url))
    error_message = "prometheus_url must be an http(s) URL."
  }
}

variable "grafana_datasource_uid" {
  type        = string
  description = "uid of the Prometheus data source created in Grafana (dashboards can refer to it)."
  default     = "courier-prometheus"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.grafana_datasource_uid))
    error_message = "grafana_datasource_uid must be 1-40 letters, digits, '_' or '-'."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags of the AWS resources (the SSM parameter)."
  default     = {}
}
