"""Ports: the protocols the application layer talks to; adapters implement them."""
