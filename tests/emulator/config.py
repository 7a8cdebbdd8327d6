"""What the emulator emulates: the two instances, the host names and the timings (production vs. fast tests)."""
import uuid

ACCOUNT_ID = "111122223333"
DOMAIN = "example.test"  # the CRM sites' domain, and by default the CCPs' and the sign-in page's too (one site)
# A domain of its own for the CCPs and the sign-in page (`Emulator(ccp_domain=CCP_OWN_DOMAIN)`): in a real deployment
# they are Amazon's (*.my.connect.aws, *.awsapps.com) and the CRM page is the customer's, so the CCP frames are
# cross-site to the page that embeds them: their own process under site isolation, partitioned cookies in Firefox.
CCP_OWN_DOMAIN = "connect.test"
CRM_HOSTS = (f"crm.{DOMAIN}", f"crm2.{DOMAIN}")  # two allowlisted sites for multi-site tests
OTHER_HOST = f"other.{DOMAIN}"  # a page that is never allowlisted
CCP_PATH = "/ccp-v2/"
LOGIN_PATH = "/login"


def ccp_host(region, domain=DOMAIN):
    return f"ccp.{region}.{domain}"


def login_host(domain=DOMAIN):
    return f"login.{domain}"


LOGIN_HOST = login_host()


class Instance:
    """One Connect instance of the traffic distribution group."""

    def __init__(self, region, instance_id, domain=DOMAIN):
        self.region = region
        self.instance_id = instance_id
        self.host = ccp_host(region, domain)
        self.arn = f"arn:aws:connect:{region}:{ACCOUNT_ID}:instance/{instance_id}"


class Timings:
    """Every delay the emulated worker and server use, in milliseconds. Production values mirror Streams 2.28.2
    (ccp-protocol.md 3.1, 4.2, 5.3); tests use `Timings.fast()` so scenarios finish in well under a second."""

    def __init__(self, *, dr_poll_interval_ms=60_000, dr_poll_timeout_ms=10_000, dr_poll_attempts=5,
                 dr_retry_delay_ms=1_000, snapshot_long_poll_ms=25_000, log_flush_ms=1_000,
                 configure_wait_ms=1_000, auth_retry_ms=2_000, hang_max_ms=120_000, heartbeat_ms=5_000,
                 heartbeat_lost_ms=15_000):
        self.dr_poll_interval_ms = dr_poll_interval_ms  # active-region polling cadence (legacy DR and ACGR)
        self.dr_poll_timeout_ms = dr_poll_timeout_ms  # abort one active-region GET after this
        self.dr_poll_attempts = dr_poll_attempts  # attempts per poll on HTTP >= 500 or 429
        self.dr_retry_delay_ms = dr_retry_delay_ms
        self.snapshot_long_poll_ms = snapshot_long_poll_ms  # also the period of unchanged agent::update
        self.log_flush_ms = log_flush_ms  # the worker posts buffered log entries this often
        self.configure_wait_ms = configure_wait_ms  # CCP asks `request_configure` if none came by then
        self.auth_retry_ms = auth_retry_ms  # signed-out worker retries its snapshot poll this often
        self.hang_max_ms = hang_max_ms  # a "hanging" CCP page gives up (504) after this
        # ACGR heartbeats between the two CCPs over the host's relay (the real CCP's cadence is not public): a
        # CCP window sends one every heartbeat_ms and calls the relay lost after heartbeat_lost_ms without answer.
        self.heartbeat_ms = heartbeat_ms
        self.heartbeat_lost_ms = heartbeat_lost_ms

    @classmethod
    def fast(cls):
        # heartbeat_lost_ms stays above 1 s: a background tab's timers run at most once a second
        return cls(dr_poll_interval_ms=400, dr_poll_timeout_ms=2_000, dr_retry_delay_ms=100,
                   snapshot_long_poll_ms=1_000, log_flush_ms=200, auth_retry_ms=300, hang_max_ms=20_000,
                   heartbeat_ms=250, heartbeat_lost_ms=2_500)

    def as_dict(self):
        return dict(vars(self))


def default_instances(domain=DOMAIN):
    """us-east-1 (the one a page shows first) and us-west-2, with fixed ids so URLs and ARNs are stable; their CCPs
    on `domain`."""
    return (Instance("us-east-1", str(uuid.UUID(int=0xA1)), domain),
            Instance("us-west-2", str(uuid.UUID(int=0xB2)), domain))


def host_names(instances, login=LOGIN_HOST):
    """Every name the browsers must map to loopback (and the certificate must cover)."""
    return [i.host for i in instances] + [login, *CRM_HOSTS, OTHER_HOST]
