"""The actions the tab session performs for a protocol's host rules (core.host_rules) and for the conduits: one
vocabulary for every protocol, so the platform never asks which protocol it speaks.

They are performed in the order given, except that a Show is performed at once and everything after it once the
browser has rendered the new CCP. Actions are small immutable records read by name (action.region, ...)."""


class _Action:
    __slots__ = ()

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)

    def __eq__(self, other):
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(repr(getattr(self, n)) for n in self.__slots__)})"


class Show(_Action):
    """Display this region's CCP (and hide the other)."""
    __slots__ = ("region",)


class Post(_Action):
    """Post a host message {event, data} to the region's CCP frame."""
    __slots__ = ("region", "message")


class Log(_Action):
    """A line of the extension's own in the region's log."""
    __slots__ = ("region", "level", "text")


class Detected(_Action):
    """Report to the background: the shown region's CCP started a failover to `target` (soft: True, False or
    None when unknown)."""
    __slots__ = ("target", "soft")


class Pending(_Action):
    """Report to the background: the failover to `target` waits for a contact (its id and type — "voice",
    "chat", ... — or None)."""
    __slots__ = ("target", "contact_id", "contact_type")


class Initiated(_Action):
    """Report to the background: the CCPs started the switch to `target` and this tab shows it; the switch is
    complete once the new region's CCP has sent its agent data (Complete)."""
    __slots__ = ("target",)


class Complete(_Action):
    """Report to the background: this tab switched from `from_region` to `region`; `epoch`: the switch count it
    knew of before this switch (core.tab_epoch)."""
    __slots__ = ("region", "from_region", "epoch")


class Announced(_Action):
    """Report to the background: the region's CCP announced which AWS region it is in (`instance_region`, as
    it says it) and which region is active (`active_region`: a region key, or None when it names neither)."""
    __slots__ = ("region", "instance_region", "active_region")


class SignInChecked(_Action):
    """The region's CCP answered the sign-in check (valid: True or False; detail: why not, or None). The tab
    session hands it to the region's conduit (core.ccp_conduit.CcpConduit.on_sign_in_checked)."""
    __slots__ = ("region", "valid", "detail")


class Health(_Action):
    """The region's CCP health changed in this tab (core.health states; detail: why, or None)."""
    __slots__ = ("region", "status", "detail")


class CheckQueue(_Action):
    """The region's heartbeat answer is overdue as far as the page has heard: send a message through the page's own
    message queue and, when it comes back, tell the region's conduit (CcpConduit.on_queue_checked) with `asked_ms`
    (whether the page's thread was behind, and the answer with it)."""
    __slots__ = ("region", "asked_ms")


class SignInNeeded(_Action):
    """The region's CCP did not answer after loading: a sign-in is probably needed."""
    __slots__ = ("region",)
