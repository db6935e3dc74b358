"""Cases and people are record views: see srmt/backoffice/admin.py (the staff pages' access
rules, 8 U.S.C. 1367 included, apply to every list, search and detail there)."""
