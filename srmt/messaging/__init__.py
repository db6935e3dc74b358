"""Secure messaging between customers (or their representatives) and the agency (issue 11 §5,
ADR 45): threads per case or per service request, messages, attachments."""
