"""The employment centre's domain: models and legal rules, pure Python."""
