"""The fund's providers and its department API."""
