"""What the local employment authority reasons about: its cases, their terms, and the grounds it verifies.
Imports nothing outside itself but the kernel."""
