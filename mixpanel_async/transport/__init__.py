"""HTTP transport: hosts, auth, limits, retries, errors, codec."""
