"""Legacy DR's regional realms (README "Page API"): the background loads Streams into a frame of a page opted in to
the page API only when that frame asks (extension/page_api/region_frame.js), and only so often: once per frame, at
most REALMS_PER_DOCUMENT frames per top document (named by its tab and the top's time origin, which the frame
reads), remembered for the latest MAX_DOCUMENTS documents. A page that makes frames with the marker itself gets no
more Streams copies than the facade would have made."""
REALMS_PER_DOCUMENT = 2
MAX_DOCUMENTS = 200


class RegionalLoads:
    def __init__(self):
        self._frames = {}  # (tab id, document name) -> frame ids loaded; the latest document last

    def admit(self, tab_id, document, frame_id):
        """None if Streams may be loaded into the frame now (counted), else why not."""
        key = (tab_id, document)
        frames = self._frames.pop(key, [])
        self._frames[key] = frames
        while len(self._frames) > MAX_DOCUMENTS:
            del self._frames[next(iter(self._frames))]
        if frame_id in frames:
            return "Streams is already loaded in this frame"
        if len(frames) >= REALMS_PER_DOCUMENT:
            return f"a page gets at most {REALMS_PER_DOCUMENT} regional Streams"
        frames.append(frame_id)
        return None
