"""The employment centre's adapters: storage, gateway-backed ports, result documents, form mapping."""
