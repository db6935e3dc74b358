"""SRMT: service request management for an immigration agency's customer service."""
