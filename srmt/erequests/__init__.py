"""e-Requests: the self-service requests customers open online (issue 11 §4, ADR 0044)."""
