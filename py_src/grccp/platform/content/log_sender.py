"""How a tab's log batches reach the background: core.log_shipping's send, over the outbox's in-order send."""


def batch_sender(send_logs, on_refused):
    """send(message, on_done) for core.log_shipping.LogShipper: on_done(whether the background took the batch, why
    not). send_logs(message, on_reply(reply, error)) sends it (the outbox's send_logs); on_refused() after a batch
    was not taken (a bg:error answer, no answer, or a send that failed)."""
    def send(message, on_done):
        def answered(reply, error):
            if not error and reply is not None and reply.get("type") != "bg:error":
                on_done(True)
                return
            on_done(False, error or (reply or {}).get("error") or "no answer")
            on_refused()
        send_logs(message, answered)
    return send
