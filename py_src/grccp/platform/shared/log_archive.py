"""The closed chunks of every region's log (core.log_chunks), as Blobs in the extension's own IndexedDB, keyed
[region key, chunk index]. Written once by the background; read by the page that saves the download, which hands
the Blobs on without reading them (a 20 MB log costs no copy into the page, no parsing, no conversion).

IndexedDB is the extension origin's (background and extension pages share it; `unlimitedStorage` covers it).
Every call takes a callback: on_done(error message or None), or on_blobs(JS array of Blobs or None, error)."""
from . import webext

DATABASE = "grccp-logs"
VERSION = 1
STORE = "chunks"

_scope = webext.global_scope
_connection = {"db": None, "waiting": []}


def _key(region, index):
    return webext.to_js([region, index])


def _with_db(on_db):
    """on_db(db, error): the open database (opened once, reopened if the browser closed it)."""
    if _connection["db"] is not None:
        on_db(_connection["db"], None)
        return
    _connection["waiting"].append(on_db)
    if len(_connection["waiting"]) > 1:
        return
    request = _scope.indexedDB.open(DATABASE, VERSION)

    def settle(db, error):
        waiting, _connection["waiting"] = _connection["waiting"], []
        for waiter in waiting:
            waiter(db, error)

    def upgrade(*_):
        db = request.result
        if not db.objectStoreNames.contains(STORE):
            db.createObjectStore(STORE)

    def opened(*_):
        db = request.result
        db.addEventListener("close", lambda *_: _connection.update(db=None))
        db.addEventListener("versionchange", lambda *_: (db.close(), _connection.update(db=None)))
        _connection["db"] = db
        settle(db, None)

    request.addEventListener("upgradeneeded", upgrade)
    request.addEventListener("success", opened)
    request.addEventListener("error", lambda *_: settle(None, f"the log archive cannot be opened: {_error(request)}"))
    request.addEventListener("blocked", lambda *_: settle(None, "the log archive is blocked by another version"))


def _error(target):
    error = webext.optional(target, "error")
    return "unknown error" if error is None else str(webext.optional(error, "message") or error)


def _transaction(mode, work, on_done):
    """Runs work(object store) in one transaction; on_done(error or None) when it committed or failed."""
    def with_db(db, error):
        if error is not None:
            on_done(error)
            return
        try:
            transaction = db.transaction(STORE, mode)
        except Exception as problem:  # noqa: BLE001 -- a closing connection: open again next time
            _connection["db"] = None
            on_done(f"the log archive is not available: {problem}")
            return
        transaction.addEventListener("complete", lambda *_: on_done(None))
        transaction.addEventListener("abort", lambda *_: on_done(f"log archive write aborted: {_error(transaction)}"))
        work(transaction.objectStore(STORE))
    _with_db(with_db)


def put(chunks, on_done):
    """Stores chunks [(region, index, text)] as text/plain Blobs, all or none; on_done(error or None)."""
    def work(store):
        for region, index, text in chunks:
            store.put(_scope.Blob.new([text], webext.to_js({"type": "text/plain"})), _key(region, index))
    _transaction("readwrite", work, on_done)


def delete(chunks, on_done=None):
    """Deletes chunks [(region, index)]; on_done(error or None)."""
    def work(store):
        for region, index in chunks:
            store.delete(_key(region, index))
    _transaction("readwrite", work, on_done or (lambda error: error and print("log chunks not deleted:", error)))


def delete_before(region, first, on_done=None):
    """Deletes every chunk of `region` before chunk `first`; on_done(error or None)."""
    if first < 1:
        return

    def work(store):
        store.delete(_scope.IDBKeyRange.bound(_key(region, 0), _key(region, first - 1)))
    _transaction("readwrite", work, on_done or (lambda error: error and print("log chunks not deleted:", error)))


def read(region, indexes, on_blobs):
    """on_blobs(JS array of the Blobs of `indexes` (ascending), in their order, or None; error): an error if one
    is missing. One range read from the first to the last: chunks between them that are not asked for (a download
    reads those from local storage) are left out."""
    if not indexes:
        on_blobs(_scope.Array.new(), None)
        return
    found = {}

    def work(store):
        bounds = _scope.IDBKeyRange.bound(_key(region, indexes[0]), _key(region, indexes[-1]))
        keys = store.getAllKeys(bounds)
        values = store.getAll(bounds)
        values.addEventListener("success", lambda *_: found.update(keys=keys.result, values=values.result))

    def done(error):
        found_at = {}  # chunk index -> its position in the values read
        if "values" in found:
            for position in range(found["keys"].length):
                found_at[int(found["keys"][position][1])] = position
        missing = [index for index in indexes if index not in found_at]
        if error is None and missing:
            error = f"the log of {region} misses archived chunks {missing}"
        if error is not None:
            on_blobs(None, error)
            return
        wanted = webext.to_js([found_at[index] for index in indexes])
        on_blobs(wanted.map(lambda position, *_: found["values"][position]), None)
    _transaction("readonly", work, done)
