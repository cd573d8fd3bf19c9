"""The fund's use cases (receive, check, step through SP-1, decide, notify) and the ports they use."""
