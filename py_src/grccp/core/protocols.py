"""Which Global Resiliency protocol a configuration speaks: the host rules (the core.host_rules.HostRules
interface) a tab session drives, and the protocol's traits the background and the popup read (the same class's
attributes). One table; nothing else asks which protocol is configured."""
from .acgr import AcgrPageView, AcgrRules
from .config import ACGR, LEGACY_DR
from .legacy_dr import LegacyDrRules

RULES = {ACGR: AcgrRules, LEGACY_DR: LegacyDrRules}
# The page API's view of each protocol that serves it (core.page_relay); legacy DR's globalConnect is not built yet.
PAGE_VIEWS = {ACGR: AcgrPageView}


def rules_class(config):
    """The HostRules class of the configured protocol (its traits: BLOCKING_CONTACT_TYPES, ...)."""
    return RULES[config.protocol]


def host_rules_for(config, shown_region, epoch, failover=None):
    """The host rules of the configured protocol, for a tab that shows `shown_region` first and knows `epoch` and
    the failover in flight (core.global_state.GlobalState.flight)."""
    return rules_class(config)(config, shown_region, epoch, failover)


def serves_page_api(config):
    """Whether the configured protocol serves the page API (its opted-in pages get it)."""
    return config.protocol in PAGE_VIEWS


def page_view_for(config, shown_region):
    """The protocol's page view (core.page_relay) for a tab that shows `shown_region`."""
    return PAGE_VIEWS[config.protocol](config, shown_region)
