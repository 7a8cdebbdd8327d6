"""Which Global Resiliency protocol a configuration speaks: the host rules (the core.host_rules.HostRules
interface) a tab session drives, and the protocol's traits the background and the popup read (the same class's
attributes). One table; nothing else asks which protocol is configured."""
from .acgr import AcgrPageView, AcgrRules
from .config import ACGR, LEGACY_DR
from .legacy_dr import LegacyDrPageView, LegacyDrRules

RULES = {ACGR: AcgrRules, LEGACY_DR: LegacyDrRules}
# The page API's view of each protocol (core.page_relay): ACGR's connect.globalResiliency, legacy DR's globalConnect.
PAGE_VIEWS = {ACGR: AcgrPageView, LEGACY_DR: LegacyDrPageView}


def rules_class(config):
    """The HostRules class of the configured protocol (its traits: BLOCKING_CONTACT_TYPES, ...)."""
    return RULES[config.protocol]


def host_rules_for(config, shown_region, epoch, failover=None):
    """The host rules of the configured protocol, for a tab that shows `shown_region` first and knows `epoch` and
    the failover in flight (core.global_state.GlobalState.flight)."""
    return rules_class(config)(config, shown_region, epoch, failover)


def page_view_class(config):
    """The protocol's page view class (its traits: MAIN_FILES, REGIONAL_REALMS)."""
    return PAGE_VIEWS[config.protocol]


def page_view_for(config, shown_region):
    """The protocol's page view (core.page_relay) for a tab that shows `shown_region`."""
    return page_view_class(config)(config, shown_region)
