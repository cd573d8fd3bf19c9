"""The test national certifying centre: root and issuing CA, certificates, CRL (docs/admin-apis.md)."""
