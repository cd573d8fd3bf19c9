"""The test national certifying centre: root and issuing CA, certificates, CRL (ARCHITECTURE §5)."""
