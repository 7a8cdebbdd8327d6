"""What the benchmark knows about the machine and the browser's processes (Linux /proc): the `machine` block of
the results, and the memory (PSS) and CPU time of a browser's processes."""
import gzip
import os
import platform
import subprocess
import time


def load_average():
    one, five, fifteen = os.getloadavg()
    return {"1m": round(one, 2), "5m": round(five, 2), "15m": round(fifteen, 2)}


def machine_block(load_before, load_after, browser_versions):
    return {"cpu_count": os.cpu_count(), "load_average_before": load_before, "load_average_after": load_after,
            "browsers": browser_versions, "platform": platform.platform(), "python": platform.python_version()}


def command_version(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


# ----- payload ----------------------------------------------------------------------------------------------------

def file_sizes(paths):
    """{"raw", "gzip", "files": {name: {"raw", "gzip"}}} of files a page load parses (gzip level 9 of each file,
    as a server would send it)."""
    files = {}
    for name, path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        files[name] = {"raw": len(data), "gzip": len(gzip.compress(data, 9))}
    return {"raw": sum(f["raw"] for f in files.values()), "gzip": sum(f["gzip"] for f in files.values()),
            "files": files}


# ----- processes ----------------------------------------------------------------------------------------------------

def _children_map():
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    return children


def descendants(root_pid):
    children = _children_map()
    found, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().decode(errors="replace")
    except OSError:
        return ""


def pss_bytes(pid):
    """Proportional set size of a process (shared pages divided among their users), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU seconds a process has used so far (its threads included), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime (fields 14 and 15 of stat)


def tree_cpu_seconds(root_pid):
    """CPU seconds used so far by the processes under `root_pid` (not counting it): a browser's, under its driver."""
    return sum(used for used in (cpu_seconds(pid) for pid in descendants(root_pid) if pid != root_pid)
               if used is not None)


def wait_until_quiet(read_cpu_seconds, window_s=0.5, idle_share=0.1, timeout_s=30.0, clock=time.monotonic,
                     sleep=time.sleep):
    """Seconds waited until what read_cpu_seconds() counts used less than `idle_share` of one core over a window
    of `window_s`, checked window after window; None if that did not happen within `timeout_s`."""
    started = last_at = clock()
    last = read_cpu_seconds()
    while last_at - started < timeout_s:
        sleep(window_s)
        now, used = clock(), read_cpu_seconds()
        if used - last < idle_share * (now - last_at):
            return now - started
        last_at, last = now, used
    return None


def chromium_role(command):
    """The role of a Chromium process from its command line (see bench.browser_kinds). Renderers rewrite their
    title but keep their switches in it."""
    if "--type=" not in command:
        return "browser"
    if "--type=renderer" in command:
        return "extension" if "--extension-process" in command else "web"
    if "--type=gpu-process" in command:
        return "gpu"
    if "network.mojom.NetworkService" in command:
        return "network"
    if "storage.mojom.StorageService" in command:
        return "storage"
    return "other"


def roles_pss(roles):
    """PSS of the web-content processes and of the extension's own, from {pid: role}."""
    found = {"web": [], "extension": []}
    for pid, role in roles.items():
        size = pss_bytes(pid) if role in found else None
        if size is not None:
            found[role].append(size)
    return {"web_content": sum(found["web"]), "web_content_processes": len(found["web"]),
            "extension": sum(found["extension"]), "extension_processes": len(found["extension"])}


class CpuMeter:
    """CPU time by process role between two moments: start(roles) then stop() -> {role: ms}. Only the processes
    that exist at both moments count (the roles are read once, at the start)."""

    def __init__(self):
        self._before = {}
        self._roles = {}

    def start(self, roles):
        self._roles = dict(roles)
        self._before = {pid: cpu_seconds(pid) for pid in self._roles}
        return self

    def stop(self):
        used = {}
        for pid, role in self._roles.items():
            before, after = self._before.get(pid), cpu_seconds(pid)
            if before is not None and after is not None:
                used[role] = used.get(role, 0.0) + (after - before) * 1000
        return {role: round(ms) for role, ms in sorted(used.items())}
