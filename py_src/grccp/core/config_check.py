"""The configuration check: what the background asks each instance (`probes`), and what the answers mean for the
agents (`findings`), each problem worded as the fix an administrator makes. Pure: the background fetches
(platform.background.config_probe) and the options page shows the findings.

Framing is read from the CCP's own response headers, as the browser will enforce them on a CCP frame: an enforced
`Content-Security-Policy: frame-ancestors` decides (that is where Amazon Connect lists an instance's approved
origins, "Application integration"), and only without one does `X-Frame-Options` apply (HTML's rule)."""
from .config import parse_https_url

CHECK_CCP = "ccp-answers"
CHECK_FRAMING = "ccp-frames-origin"
CHECK_LOGIN = "login-answers"
CHECK_DISTINCT = "distinct-instances"

PROBE_TIMEOUT_MS = 10000
# A host label only a wildcard source ("https://*.example.com") approves: how "every subdomain" is tested.
ANY_SUBDOMAIN_LABEL = "any-subdomain--grccp-check"


def probes(config):
    """[(probe id, url)]: each region's CCP URL, then the sign-in URL."""
    return [("ccp:" + region.key, region.ccp_url) for region in config.regions] + [("login", config.login_url)]


def allowlisted_origins(config):
    """[(allowlist entry, [origin, ...])]: the origins whose pages embed the CCPs, as a browser names a frame's
    parent. A "*." entry stands for its bare domain and every subdomain; the second origin tests "every"."""
    origins = []
    for pattern in config.page_patterns:
        port = "" if pattern.port is None else f":{pattern.port}"
        hosts = [pattern.host, f"{ANY_SUBDOMAIN_LABEL}.{pattern.host}"] if pattern.any_subdomain else [pattern.host]
        origins.append((pattern.text, [f"https://{host}{port}" for host in hosts]))
    return origins


def findings(config, answers):
    """[{"check", "region" (a key or None), "ok", "message"}] for the configuration in force. answers: {probe id:
    {"status": int, "url": the final URL after redirects, "headers": {lower-case name: value}} or {"error": text}}
    (a probe without an answer counts as not answered)."""
    results = []
    final_origins = {}
    for region in config.regions:
        answer = answers.get("ccp:" + region.key) or {"error": "no answer"}
        problem = _answer_problem(answer)
        if problem:
            results.append(_finding(CHECK_CCP, region.key, False, f"{region.key}: the CCP URL {region.ccp_url} "
                                    f"{problem}: check the URL (the instance's alias and /ccp-v2/) and that the "
                                    "instance is running"))
            continue
        results.append(_finding(CHECK_CCP, region.key, True, f"{region.key}: the CCP answers ({answer['status']})"))
        ccp_origin = final_origins[region.key] = _origin(answer.get("url")) or region.ccp_origin
        for entry, origins in allowlisted_origins(config):
            results.append(_framing_finding(region.key, entry, origins, answer.get("headers") or {}, ccp_origin))
    login = answers.get("login") or {"error": "no answer"}
    problem = _answer_problem(login)
    results.append(_finding(CHECK_LOGIN, None, not problem,
                            f"the sign-in URL {config.login_url} {problem}: check the URL; agents cannot sign in"
                            if problem else f"the sign-in page answers ({login['status']})"))
    if len(final_origins) == 2:
        first, second = (final_origins[region.key] for region in config.regions)
        results.append(_finding(CHECK_DISTINCT, None, first != second,
                                f"both CCP URLs lead to {first}: the two regions must be two instances (one per "
                                "region, replicated by Global Resiliency)" if first == second else
                                f"the regions are two instances ({first}, {second})"))
    return results


def _finding(check, region, ok, message):
    return {"check": check, "region": region, "ok": ok, "message": message}


def _answer_problem(answer):
    """Why an answer is not a working page, or "" (a redirect was followed: only the final status counts)."""
    if answer.get("error"):
        return f"did not answer ({answer['error']})"
    status = answer.get("status")
    if not isinstance(status, int) or not 200 <= status < 400:
        return f"answered HTTP {status}"
    return ""


def _origin(url):
    parsed = parse_https_url(url) if isinstance(url, str) else None
    return parsed.origin if parsed else None


def _framing_finding(region_key, entry, origins, headers, ccp_origin):
    refused = [origin for origin in origins if not frame_allowed(headers, origin, ccp_origin)]
    if not refused:
        return _finding(CHECK_FRAMING, region_key, True, f"{region_key} lets {entry} embed its CCP")
    fix = _framing_fix(region_key, _wanted_origin(refused[0], origins), headers)
    return _finding(CHECK_FRAMING, region_key, False, f"{fix} (the allowlist's {entry} cannot show the CCP)")


def _framing_fix(region_key, wanted, headers):
    """What the administrator changes so that pages at origin `wanted` may frame the region's CCP."""
    if frame_ancestors(headers.get("content-security-policy")) is not None:
        return (f"{region_key} does not list {wanted} as an approved origin: add it under Application integration "
                "in the Amazon Connect console")
    return (f"{region_key} sends X-Frame-Options: {headers.get('x-frame-options')}, so no other site may embed "
            "its CCP: remove that header (a proxy in front of the instance?) or approve origins with "
            "Application integration")


def framing_refusal(region_key, page_origin, answer, ccp_origin):
    """Why the browser refuses to show the region's CCP (`answer`: its probe, as in findings) in a page at
    `page_origin`, worded as the fix; None if it shows it, or if the CCP did not answer (not a framing matter)."""
    if _answer_problem(answer):
        return None
    headers = answer.get("headers") or {}
    if frame_allowed(headers, page_origin, _origin(answer.get("url")) or ccp_origin):
        return None
    return f"{_framing_fix(region_key, page_origin, headers)} (pages at {page_origin} cannot show the CCP)"


def _wanted_origin(refused, origins):
    """The origin to approve, as an administrator writes it ("https://*.example.com" for every subdomain)."""
    if ANY_SUBDOMAIN_LABEL + "." in refused:
        return refused.replace(ANY_SUBDOMAIN_LABEL + ".", "*.")
    return refused


def frame_allowed(headers, parent_origin, ccp_origin):
    """Whether a browser shows the CCP (served with `headers`, lower-case names, from `ccp_origin`) in a frame of
    a page at `parent_origin`."""
    ancestors = frame_ancestors(headers.get("content-security-policy"))
    if ancestors is not None:
        return all(_source_list_allows(sources, parent_origin, ccp_origin) for sources in ancestors)
    return _x_frame_options_allows(headers.get("x-frame-options"), parent_origin, ccp_origin)


def frame_ancestors(csp_header):
    """[source list, ...]: the frame-ancestors directive of each policy in a Content-Security-Policy header value
    (several headers arrive joined with ","), or None if no policy has one. Within a policy the first directive
    of a name counts (CSP3 "parse a serialized CSP")."""
    if not csp_header:
        return None
    lists = []
    for policy in csp_header.split(","):
        seen = set()
        for directive in policy.split(";"):
            tokens = directive.split()
            if not tokens:
                continue
            name = tokens[0].lower()
            if name in seen:
                continue
            seen.add(name)
            if name == "frame-ancestors":
                lists.append(tokens[1:])
    return lists or None


def _source_list_allows(sources, parent_origin, ccp_origin):
    """CSP3 "does url match source list" for an ancestor's origin (an https origin here)."""
    lowered = [source.lower() for source in sources]
    if not lowered or lowered == ["'none'"]:
        return False
    return any(_source_allows(source, parent_origin, ccp_origin) for source in lowered)


def _source_allows(source, parent_origin, ccp_origin):
    if source == "'self'":
        return parent_origin == ccp_origin
    if source == "*":
        return True
    if source in ("https:", "http:"):
        return True  # an https page; "http:" is upgraded to it (CSP3)
    if source.startswith("'"):
        return False  # keywords and hashes do not name ancestors
    scheme, separator, rest = source.partition("://")
    if not separator:
        scheme, rest = "", source
    if scheme not in ("", "https", "http"):
        return False  # "http:" upgrades to https (CSP3); other schemes never match an https page
    host_port = rest.split("/", 1)[0]  # a path is not compared: an ancestor is checked by its origin
    host, _, port = host_port.partition(":")
    parent_host, parent_port = _host_and_port(parent_origin)
    if host.startswith("*."):
        if not parent_host.endswith(host[1:]):
            return False
    elif host != parent_host:
        return False
    if port == "*":
        return True
    return port == parent_port if port else parent_port == "443"


def _host_and_port(origin):
    host_port = origin[len("https://"):]
    host, _, port = host_port.partition(":")
    return host, port or "443"


def _x_frame_options_allows(header, parent_origin, ccp_origin):
    """HTML's X-Frame-Options processing: several differing values refuse; DENY refuses; SAMEORIGIN allows the
    CCP's own origin only; anything else (ALLOWALL, ALLOW-FROM, garbage) is ignored."""
    if not header:
        return True
    values = [value.strip().lower() for value in header.split(",")]
    if any(value != values[0] for value in values):
        return False
    if values[0] == "deny":
        return False
    if values[0] == "sameorigin":
        return parent_origin == ccp_origin
    return True
