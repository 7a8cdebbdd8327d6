"""Small DOM helpers for the extension pages. Text only ever goes in as textContent (configuration values,
contact ids and messages are never parsed as HTML), and updates touch the DOM only when something changed, so
a page that refreshes every second neither flickers nor re-announces unchanged live regions."""
from browser import document


def el(tag, cls=None, text=None, ident=None, attrs=None, children=()):
    """A new element: class, text (textContent), id, attributes ({name: value}; True for a bare attribute,
    None to leave out) and children (elements, or strings as text nodes)."""
    node = document.createElement(tag)
    if cls:
        node.className = cls
    if ident:
        node.id = ident
    for name, value in (attrs or {}).items():
        if value is True:
            node.setAttribute(name, "")
        elif value is not None and value is not False:
            node.setAttribute(name, str(value))
    if text is not None:
        node.textContent = text
    for child in children:
        node.appendChild(document.createTextNode(child) if isinstance(child, str) else child)
    return node


def set_text(node, text):
    text = "" if text is None else str(text)
    if node.textContent != text:
        node.textContent = text


def set_attr(node, name, value):
    """Sets (value a string), or removes (None or False), an attribute; True means present and empty."""
    if value is None or value is False:
        if node.hasAttribute(name):
            node.removeAttribute(name)
        return
    value = "" if value is True else str(value)
    if node.getAttribute(name) != value:
        node.setAttribute(name, value)


def set_hidden(node, hidden):
    set_attr(node, "hidden", bool(hidden))


def clear(node):
    while node.firstChild:
        node.removeChild(node.firstChild)


def by_id(ident):
    return document.getElementById(ident)


def on(node, event, handler):
    """handler(event) for a DOM event."""
    node.addEventListener(event, handler)
