"""Every risk rule, in the order the engine runs them (by number, then letter).

Adding a rule means writing it in its family module, decorated with
`unit_rule` or `shipment_rule`, and listing it here; nothing registers
itself on import. `tests/rules/test_catalog.py` checks that every rule
named in the policy and in the README's rule table is listed once.
"""

from __future__ import annotations

from rules import (
    affirmations,
    aggregate,
    aggregation,
    dates,
    entry_goods,
    entry_number,
    firm_history,
    freshness,
    history,
    hts,
    identifier,
    import_alerts,
    manifest,
    origin,
    product,
    product_code,
    recalls,
    registration,
)
from rules.base import RuleFunction, RuleSpec, spec_of

RULES: tuple[RuleFunction, ...] = (
    freshness.reference_data_missing_or_stale,  # R0
    identifier.scan_unparseable,  # R1
    identifier.separator_probably_lost,  # R1b
    identifier.gtin_check_digit_invalid,  # R2
    identifier.nhrn_ndc_mismatch,  # R2b
    identifier.not_gs1_datamatrix,  # R3
    identifier.product_identifier_incomplete,  # R4
    identifier.dscsa_excluded_product,  # R4e
    dates.expired,  # R5
    dates.short_dated_or_implausible,  # R5b
    identifier.non_us_pack,  # R6
    product.ndc_not_in_directory,  # R7
    product.ndc_excluded_listing,  # R8
    product.unfinished_drug_in_pack,  # R8b
    history.serial_cloned,  # R9
    history.serial_data_conflict,  # R9b
    dates.marketing_ended,  # R10
    dates.not_yet_marketed,  # R11
    history.lot_expiry_inconsistent,  # R12
    recalls.lot_recalled,  # R13
    import_alerts.firm_on_import_alert,  # R14
    manifest.entry_ndc_mismatch,  # R15
    manifest.entry_quantity_or_party_mismatch,  # R16
    aggregation.mixed_case,  # R17
    aggregation.pack_not_as_shipped,  # R17b
    aggregation.case_parent_child_mismatch,  # R18
    aggregation.unit_not_in_epcis,  # R18b
    aggregation.expected_units_not_seen,  # R18c
    origin.origin_risk,  # R19
    product.controlled_substance,  # R20
    product.high_risk_product_class,  # R22
    product.sample_or_non_saleable,  # R23
    aggregate.personal_import_quantity,  # R24
    aggregate.serial_pattern_anomaly,  # R25
    entry_number.entry_number_invalid,  # R30
    product_code.product_code_invalid,  # R31
    product_code.product_code_misfits_goods,  # R32
    affirmations.affirmations_missing_or_malformed,  # R33
    affirmations.drug_listing_mismatch,  # R34
    affirmations.application_mismatch,  # R35
    hts.hts_product_mismatch,  # R36
    entry_goods.foreign_pack_for_consumption,  # R37
    entry_goods.controlled_substance_undeclared,  # R38
    history.resighted_in_linked_entry,  # R39
    registration.establishment_not_registered,  # R40
    firm_history.firm_refusal_history,  # R41
)

SPECS: dict[str, RuleSpec] = {spec.id: spec for spec in map(spec_of, RULES)}
"""Each rule's spec by id."""

RULE_MODULES: tuple[str, ...] = tuple(sorted({rule.__module__ for rule in RULES}))
"""The modules the rules live in (their source is part of the ruleset version)."""
