"""Browser packages: the unpacked folder copied into a zip (Chrome) or xpi (Firefox) with fixed timestamps, so
the same files always give the same archive bytes."""
import io
import os
import zipfile

from .files import read_bytes, write_if_changed

_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def archive_bytes(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                info = zipfile.ZipInfo(os.path.relpath(path, folder).replace(os.sep, "/"), _FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, read_bytes(path))
    return buffer.getvalue()


def write_archive(folder, archive_path):
    return write_if_changed(archive_path, archive_bytes(folder))


def sync_tree(source, destination, skip=()):
    """Copies every file of source into destination (only those whose bytes differ), except the relative paths
    in `skip` (written by the build from their source); returns the paths written and the set of relative paths
    it owns."""
    written, owned = [], set()
    for root, _dirs, files in os.walk(source):
        for name in files:
            relative = os.path.relpath(os.path.join(root, name), source)
            if relative in skip:
                continue
            owned.add(relative)
            if write_if_changed(os.path.join(destination, relative), read_bytes(os.path.join(root, name))):
                written.append(relative)
    return written, owned


def remove_strays(folder, keep):
    """Deletes files a previous build left that this build no longer produces (renamed bundles, old assets)."""
    removed = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            relative = os.path.relpath(os.path.join(root, name), folder)
            if relative not in keep:
                os.remove(os.path.join(root, name))
                removed.append(relative)
    return removed
