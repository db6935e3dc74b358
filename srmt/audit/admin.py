"""The audit log is a record view: see srmt/backoffice/admin.py (read-only, and filtered by
the staff pages' access rules, 8 U.S.C. 1367 included)."""
