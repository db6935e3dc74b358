"""The staff workspace: in-app notifications of assignments, returns and escalations, the
user's email preference for them, and saved queue views (docs/adr/0031)."""
