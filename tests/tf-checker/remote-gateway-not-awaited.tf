# expect: but does not wait for azurerm_virtual_network_gateway.hub
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0, < 6.0"
    }
  }
}

resource "azurerm_virtual_network" "hub" {
  name                = "hub"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]

  subnet {
    name             = "GatewaySubnet"
    address_prefixes = ["10.0.255.224/27"]
  }
}

resource "azurerm_public_ip" "hub" {
  name                = "pip-vgw-hub"
  resource_group_name = "rg"
  location            = "westeurope"
  allocation_method   = "Static"
}

resource "azurerm_virtual_network_gateway" "hub" {
  name                = "vgw-hub"
  resource_group_name = "rg"
  location            = "westeurope"
  type                = "Vpn"
  sku                 = "VpnGw2AZ"

  ip_configuration {
    public_ip_address_id = azurerm_public_ip.hub.id
    subnet_id            = one([for s in azurerm_virtual_network.hub.subnet : s.id if s.name == "GatewaySubnet"])
  }
}

resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  name                      = "spoke-to-hub"
  resource_group_name       = "rg"
  virtual_network_name      = "spoke"
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  use_remote_gateways       = true
}
