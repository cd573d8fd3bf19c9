"""Commands, the ports the handlers need, and the handlers (one transaction per command)."""
