"""Office codes the product relies on (seeded by `srmt seed`)."""

TIER1_OFFICE = "CC-T1"
TIER2_OFFICE = "CC-T2"
HEADQUARTERS_OFFICE = "HQ-SCOPS"
# The VAWA/T/U unit (8 U.S.C. 1367): seeded as a confidential unit of the Vermont Service Center.
CONFIDENTIAL_UNITS = frozenset({"ESC-VAWA"})

# Receipt prefix -> service center holding files with that prefix (domain.md section 8).
PREFIX_OFFICES = {
    "EAC": "ESC",
    "WAC": "CSC",
    "LIN": "NSC",
    "SRC": "SSC",
    "MSC": "NBC",
    "YSC": "YSC",
}
