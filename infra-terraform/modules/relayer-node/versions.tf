terraform {
  # strcontains() needs 1.5; optional() object attributes 1.3.
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_vpc_security_group_ingress_rule / _egress_rule; 6.x not yet verified.
      version = ">= 5.40, < 6.0"
    }
  }
}
