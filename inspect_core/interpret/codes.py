"""Error and warning codes of an interpretation.

The codes named in docs/interfaces.md §3 are a contract; the ones
marked *(extra)* are additions of this package.

Errors (the scan is invalid):

================================  =================================================================
code                              meaning
================================  =================================================================
``empty``                         nothing but terminators, separators or spaces
``not_gs1``                       not a GS1 element string, HRI, Digital Link, GTIN/UPC or NDC
``unknown_ai``                    an application identifier not in the GS1 dictionary
``truncated``                     data ends inside a fixed-length field (or the AI itself)
``gtin_check_digit``              GTIN mod-10 check digit wrong
``sscc_check_digit`` *(extra)*    SSCC (AI 00) mod-10 check digit wrong
``bad_date``                      impossible date in a date AI (11-17 ``yymmd0``, 7003)
``serial_charset``/``lot_charset``  a character outside GS1 CSET 82
``serial_length``/``lot_length``  empty, or longer than 20 characters
``duplicate_ai``                  the same AI twice with different values
``missing_gtin``                  a GS1 string, HRI or Digital Link without AI 01 (a logistic
                                  label with an SSCC, AI 00, or a content GTIN, AI 02, needs none)
``missing_serial``/``_lot``/...   a GTIN-bearing GS1 string, HRI or Digital Link lacks 21/10/17
``ndc_format``                    a typed NDC that fits no valid NDC layout
``separator_missing``             a variable-length field evidently swallowed following AIs;
                                  the plausible splits are in ``separator_candidates``
``too_long`` *(extra)*            input longer than ``InterpretOptions.max_length``; not parsed
``encoding`` *(extra)*            bytes that are not valid UTF-8
``non_ascii`` *(extra)*           a character outside ASCII (never valid in GS1 data)
``control_character`` *(extra)*   a control character other than the separator and terminators
``ai_format`` *(extra)*           a value that does not fit its AI's format (other than the above)
``ndc_ambiguous`` *(extra)*       an 11-digit NDC whose pad zero could sit in several segments
                                  and the directory (``resolve_ndc``) does not decide; see
                                  ``ndc_candidates``
``internal_error`` *(extra)*      a parser failed on input it did not foresee; never expected,
                                  logged and reported instead of raising
================================  =================================================================

Warnings (the scan stays valid):

===========================================  ======================================================
code                                         meaning
===========================================  ======================================================
``no_symbology``                             a scanner format (GS1 string, Digital Link, GTIN)
                                             arrived without a symbology identifier
``not_us_gtin``                              the GTIN does not embed an NDC (``gtin[1:3] != "03"``)
``not_datamatrix``                           a GTIN-bearing GS1 string or Digital Link read from a
                                             symbology other than GS1 DataMatrix ``]d2``; not
                                             given when the symbology is unknown
``no_product_identifier`` *(extra)*          a linear GTIN/UPC or typed NDC: identifies the
                                             product but is no DSCSA product identifier (so no
                                             ``missing_*`` errors are reported for it)
``symbology_mismatch`` *(extra)*             the data does not fit what the symbology carries
                                             (e.g. an element string in plain ``]d1``)
``repeated_ai`` *(extra)*                    the same AI twice with the same value
``foreign_nhrn`` *(extra)*                   a foreign national healthcare reimbursement number
                                             (AI 710-714, 716, 717): a pack made for another market
``ndc_unresolved`` *(extra)*                 ``resolve_ndc`` asked the directory, which knows
                                             none of the splits
``iso15434_envelope`` *(extra)*              the data came in an ISO/IEC 15434 envelope (format 05
                                             GS1 or 06 ASC data identifiers, e.g. German packs)
``unknown_data_identifier`` *(extra)*        a field of a format 06 envelope with a data
                                             identifier other than 9N, 8P, 1T, D and S
``upc_e_expanded`` *(extra)*                 a UPC-E (8 digits, number system 0/1) was expanded
                                             to its UPC-A; ``gtin`` holds the expanded GTIN-14
===========================================  ======================================================
"""

from typing import Final

EMPTY: Final = "empty"
NOT_GS1: Final = "not_gs1"
UNKNOWN_AI: Final = "unknown_ai"
TRUNCATED: Final = "truncated"
GTIN_CHECK_DIGIT: Final = "gtin_check_digit"
SSCC_CHECK_DIGIT: Final = "sscc_check_digit"
BAD_DATE: Final = "bad_date"
SERIAL_CHARSET: Final = "serial_charset"
LOT_CHARSET: Final = "lot_charset"
SERIAL_LENGTH: Final = "serial_length"
LOT_LENGTH: Final = "lot_length"
DUPLICATE_AI: Final = "duplicate_ai"
MISSING_GTIN: Final = "missing_gtin"
MISSING_SERIAL: Final = "missing_serial"
MISSING_LOT: Final = "missing_lot"
MISSING_EXPIRY: Final = "missing_expiry"
NDC_FORMAT: Final = "ndc_format"
SEPARATOR_MISSING: Final = "separator_missing"
TOO_LONG: Final = "too_long"
ENCODING: Final = "encoding"
NON_ASCII: Final = "non_ascii"
CONTROL_CHARACTER: Final = "control_character"
AI_FORMAT: Final = "ai_format"
NDC_AMBIGUOUS: Final = "ndc_ambiguous"
INTERNAL_ERROR: Final = "internal_error"

NO_SYMBOLOGY: Final = "no_symbology"
NOT_US_GTIN: Final = "not_us_gtin"
NOT_DATAMATRIX: Final = "not_datamatrix"
NO_PRODUCT_IDENTIFIER: Final = "no_product_identifier"
SYMBOLOGY_MISMATCH: Final = "symbology_mismatch"
REPEATED_AI: Final = "repeated_ai"
FOREIGN_NHRN: Final = "foreign_nhrn"
NDC_UNRESOLVED: Final = "ndc_unresolved"
ISO15434_ENVELOPE: Final = "iso15434_envelope"
UNKNOWN_DATA_IDENTIFIER: Final = "unknown_data_identifier"
UPC_E_EXPANDED: Final = "upc_e_expanded"
