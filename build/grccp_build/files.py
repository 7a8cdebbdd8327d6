"""Writing outputs only when their bytes change, so that an unchanged build leaves every file (and its mtime)
alone and make sees nothing to do."""
import os


def write_if_changed(path, data):
    """Writes bytes or text to path unless it already holds exactly that; returns True if it wrote."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except OSError:
        pass
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)
    return True


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()
