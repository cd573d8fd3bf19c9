"""The authority's use cases (receive, decide, approve or reject, answer a complaint) and the ports they use."""
