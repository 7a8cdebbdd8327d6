"""Which Global Resiliency protocol a tab speaks: the host rules (the core.host_rules.HostRules interface) the tab
session drives, chosen from the configuration. Only the legacy DR protocol exists so far."""
from .legacy_dr import LegacyDrRules


def host_rules_for(config, shown_region, epoch):
    """The host rules of the configured protocol, for a tab that shows `shown_region` first and knows `epoch`."""
    return LegacyDrRules(config, shown_region, epoch)
