"""The configuration check's requests (core.config_check): each CCP URL and the sign-in URL fetched once, all at
the same time, and the findings handed back when the last one answered."""
from grccp.core import config_check
from grccp.platform.shared import http


def check(config, on_findings):
    """on_findings([finding, ...]) once every probe of `config` answered or timed out."""
    probes = config_check.probes(config)
    answers = {}

    def answered(probe_id, answer):
        answers[probe_id] = answer
        if len(answers) == len(probes):
            on_findings(config_check.findings(config, answers))
    for probe_id, url in probes:
        http.probe(url, config_check.PROBE_TIMEOUT_MS, lambda answer, probe_id=probe_id: answered(probe_id, answer))
