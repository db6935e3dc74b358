"""REST API v1 views: thin adapters that validate input, call one service, render output."""
