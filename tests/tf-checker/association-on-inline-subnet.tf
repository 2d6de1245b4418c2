# expect: on a subnet written inline in its VNet
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0, < 6.0"
    }
  }
}

resource "azurerm_virtual_network" "spoke" {
  name                = "spoke"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.1.0.0/16"]

  subnet {
    name             = "app"
    address_prefixes = ["10.1.0.0/24"]
  }
}

resource "azurerm_route_table" "spoke_via_hub" {
  name                = "rt-spoke-via-hub"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_subnet_route_table_association" "spoke_via_hub_app" {
  subnet_id      = one([for s in azurerm_virtual_network.spoke.subnet : s.id if s.name == "app"])
  route_table_id = azurerm_route_table.spoke_via_hub.id
}
