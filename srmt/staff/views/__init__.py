"""Staff pages: thin views over policies, selectors and services."""
