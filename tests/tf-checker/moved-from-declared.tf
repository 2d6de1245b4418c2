# expect: moved from azurerm_virtual_network.app_one, which is still declared
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0, < 6.0"
    }
  }
}

resource "azurerm_virtual_network" "app_one" {
  name                = "app_one"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_virtual_network" "app_one_2" {
  name                = "app-one"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.2.0.0/16"]
}

moved {
  from = azurerm_virtual_network.app_one
  to   = azurerm_virtual_network.app_one_2
}
