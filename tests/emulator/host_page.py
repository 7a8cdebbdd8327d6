"""Test-side view of a host harness page (static/hosts/*): read what it recorded, wait for records."""
from .waiting import wait_until


class HostPage:
    def __init__(self, driver, url):
        self.driver = driver
        self.url = url

    def open(self):
        self.driver.get(self.url)
        wait_until(lambda: self.driver.execute_script("return Array.isArray(window.recorded)"), 10,
                   message=f"harness page {self.url}")
        return self

    def run(self, script, *args):
        return self.driver.execute_script(script, *args)

    def run_async(self, script, *args):
        """`script` gets `done` as its last argument (WebDriver's async script callback)."""
        return self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];" + script, *args)

    def recorded(self, kind=None, where=None):
        """Records [{kind, detail, at}], optionally of one kind and matching `where(detail)`."""
        records = self.run("return window.recorded") or []
        return [r for r in records if (kind is None or r["kind"] == kind) and (where is None or where(r["detail"]))]

    def wait_for(self, kind, where=None, count=1, timeout_s=10):
        """Wait until at least `count` matching records exist; return them."""
        def enough():
            found = self.recorded(kind, where)
            return found if len(found) >= count else None
        return wait_until(enough, timeout_s, message=f"{count} x {kind!r} on {self.url}")
