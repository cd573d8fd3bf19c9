"""Driving cases through a running ecosystem over HTTP, as an integration tester does."""
