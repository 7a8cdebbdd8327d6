"""What the benchmark knows about the machine and the browser's processes (Linux /proc): the `machine` block of
the results, and the memory of a Chromium's renderer processes."""
import gzip
import os
import platform
import subprocess


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


def _cmdline(pid):
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


def chromium_renderer_memory(driver_pid):
    """PSS of a Chromium's renderer processes, split into web content (the page, its CCP frames, the CCP
    SharedWorkers, and Chromium's spare renderer if one exists) and the extension's own processes
    (`--extension-process`: the service worker and any extension page). `driver_pid` is chromedriver's pid (the
    browser is its child). Renderer processes rewrite their title, but keep --renderer-client-id in it."""
    web, extension = [], []
    for pid in descendants(driver_pid):
        command = _cmdline(pid)
        if "--renderer-client-id=" not in command:
            continue
        size = pss_bytes(pid)
        if size is None:
            continue
        (extension if "--extension-process" in command else web).append(size)
    return {"web_content": sum(web), "web_content_processes": len(web),
            "extension": sum(extension), "extension_processes": len(extension)}
